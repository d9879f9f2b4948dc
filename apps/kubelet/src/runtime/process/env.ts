/**
 * A container's environment (pkg/kubelet/kubelet_pods.go makeEnvironmentVariables): the
 * service links of the pod's namespace (and the `kubernetes` Service), then envFrom, then env
 * with configMapKeyRef / secretKeyRef / fieldRef / resourceFieldRef, `$(VAR)` expanded in
 * values as upstream (`$$` escapes). A missing ConfigMap/Secret or key is a
 * CreateContainerConfigError with upstream's message, unless `optional`.
 */
import type { ConfigMap, Container, Pod, Secret, Service } from '@kubeling/api';
import {
  configMapKind,
  hasReason,
  milliValue,
  secretKind,
  serviceKind,
  value,
} from '@kubeling/api';
import type { Client } from '@kubeling/client';
import { ContainerStartError } from '../runtime';

/** `$(VAR)` expansion (third_party/forked/golang/expansion). */
export function expand(text: string, env: Record<string, string>): string {
  return text.replace(/\$\$|\$\(([^)]*)\)/g, (m, name: string | undefined) => {
    if (m === '$$') return '$';
    return name !== undefined && name in env ? env[name]! : m;
  });
}

function envName(svc: string): string {
  return svc.toUpperCase().replace(/-/g, '_');
}

/** Docker-links style variables of the Services (envvars.FromServices). */
export function serviceEnv(services: Service[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of services) {
    const ip = s.spec?.clusterIP;
    if (!ip || ip === 'None') continue;
    const n = envName(s.metadata.name ?? '');
    const ports = s.spec?.ports ?? [];
    const first = ports[0];
    out[`${n}_SERVICE_HOST`] = ip;
    if (first) out[`${n}_SERVICE_PORT`] = String(first.port);
    for (const p of ports) if (p.name) out[`${n}_SERVICE_PORT_${envName(p.name)}`] = String(p.port);
    if (first)
      out[`${n}_PORT`] = `${(first.protocol ?? 'TCP').toLowerCase()}://${ip}:${first.port}`;
    for (const p of ports) {
      const proto = p.protocol ?? 'TCP';
      const pre = `${n}_PORT_${p.port}_${proto}`;
      out[pre] = `${proto.toLowerCase()}://${ip}:${p.port}`;
      out[`${pre}_PROTO`] = proto.toLowerCase();
      out[`${pre}_PORT`] = String(p.port);
      out[`${pre}_ADDR`] = ip;
    }
  }
  return out;
}

export interface EnvContext {
  client: Client;
  pod: Pod;
  container: Container;
  podIP: string;
  nodeName: string;
  nodeIP: string;
}

/** metadata.name, status.podIP ... (the fieldRef paths upstream supports). */
export function fieldValue(
  pod: Pod,
  fieldPath: string,
  podIP: string,
  nodeName: string,
  nodeIP: string,
): string {
  const m = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(fieldPath);
  if (m) return (pod.metadata[m[1] as 'labels' | 'annotations'] ?? {})[m[2]!] ?? '';
  switch (fieldPath) {
    case 'metadata.name':
      return pod.metadata.name ?? '';
    case 'metadata.namespace':
      return pod.metadata.namespace ?? '';
    case 'metadata.uid':
      return pod.metadata.uid ?? '';
    case 'metadata.labels':
    case 'metadata.annotations':
      return Object.entries(
        pod.metadata[fieldPath === 'metadata.labels' ? 'labels' : 'annotations'] ?? {},
      )
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join('\n');
    case 'spec.nodeName':
      return nodeName;
    case 'spec.serviceAccountName':
      return pod.spec.serviceAccountName ?? 'default';
    case 'status.hostIP':
      return nodeIP;
    case 'status.hostIPs':
      return nodeIP;
    case 'status.podIP':
    case 'status.podIPs':
      return podIP;
    default:
      return '';
  }
}

/** resourceFieldRef: limits.cpu, requests.memory ... divided by the divisor, rounded up. */
export function resourceValue(
  pod: Pod,
  containerName: string,
  resource: string,
  divisor = '1',
  nodeCapacity: Record<string, string> = {},
): string {
  const c = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].find(
    (x) => x.name === containerName,
  );
  const [kind, name] = resource.split('.') as ['limits' | 'requests', string];
  let q = c?.resources?.[kind]?.[name];
  if (q === undefined && kind === 'limits') q = nodeCapacity[name];
  if (q === undefined) return '0';
  if (name === 'cpu') {
    const m = milliValue(String(q));
    const d = milliValue(divisor);
    return String((m + d - 1n) / d);
  }
  const v = value(String(q));
  const d = value(divisor);
  return String((v + d - 1n) / d);
}

async function getOrUndefined<T>(f: () => Promise<T>): Promise<T | undefined> {
  try {
    return await f();
  } catch (e) {
    if (hasReason(e, 'NotFound')) return undefined;
    throw e;
  }
}

export async function containerEnv(ctx: EnvContext): Promise<Record<string, string>> {
  const { client, pod, container: c } = ctx;
  const ns = pod.metadata.namespace ?? 'default';
  const env: Record<string, string> = {};
  if (pod.spec.enableServiceLinks !== false) {
    const list = await client.resource(serviceKind).namespace(ns).list();
    Object.assign(env, serviceEnv(list.items));
  }
  // The kubernetes Service's variables, for every pod.
  const master = await getOrUndefined(() =>
    client.resource(serviceKind).namespace('default').get('kubernetes'),
  );
  if (master) Object.assign(env, serviceEnv([master]));
  const cms = new Map<string, ConfigMap | undefined>();
  const secrets = new Map<string, Secret | undefined>();
  const cm = async (name: string) => {
    if (!cms.has(name))
      cms.set(
        name,
        await getOrUndefined(() => client.resource(configMapKind).namespace(ns).get(name)),
      );
    return cms.get(name);
  };
  const secret = async (name: string) => {
    if (!secrets.has(name))
      secrets.set(
        name,
        await getOrUndefined(() => client.resource(secretKind).namespace(ns).get(name)),
      );
    return secrets.get(name);
  };
  const decode = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');
  for (const from of c.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    if (from.configMapRef) {
      const m = await cm(from.configMapRef.name ?? '');
      if (!m) {
        if (from.configMapRef.optional) continue;
        throw new ContainerStartError(
          'CreateContainerConfigError',
          `configmap "${from.configMapRef.name ?? ''}" not found`,
        );
      }
      for (const [k, v] of Object.entries(m.data ?? {})) env[prefix + k] = v;
    }
    if (from.secretRef) {
      const s = await secret(from.secretRef.name ?? '');
      if (!s) {
        if (from.secretRef.optional) continue;
        throw new ContainerStartError(
          'CreateContainerConfigError',
          `secret "${from.secretRef.name ?? ''}" not found`,
        );
      }
      for (const [k, v] of Object.entries(s.data ?? {})) env[prefix + k] = decode(v);
    }
  }
  for (const e of c.env ?? []) {
    const vf = e.valueFrom;
    if (!vf) {
      env[e.name] = expand(e.value ?? '', env);
      continue;
    }
    if (vf.fieldRef)
      env[e.name] = fieldValue(
        pod,
        vf.fieldRef.fieldPath ?? '',
        ctx.podIP,
        ctx.nodeName,
        ctx.nodeIP,
      );
    else if (vf.resourceFieldRef)
      env[e.name] = resourceValue(
        pod,
        vf.resourceFieldRef.containerName || c.name,
        vf.resourceFieldRef.resource ?? '',
        vf.resourceFieldRef.divisor ? String(vf.resourceFieldRef.divisor) : '1',
      );
    else if (vf.configMapKeyRef) {
      const ref = vf.configMapKeyRef;
      const m = await cm(ref.name ?? '');
      const v = m?.data?.[ref.key ?? ''];
      if (v === undefined) {
        if (ref.optional) continue;
        throw new ContainerStartError(
          'CreateContainerConfigError',
          m
            ? `couldn't find key ${ref.key ?? ''} in ConfigMap ${ns}/${ref.name ?? ''}`
            : `configmap "${ref.name ?? ''}" not found`,
        );
      }
      env[e.name] = v;
    } else if (vf.secretKeyRef) {
      const ref = vf.secretKeyRef;
      const s = await secret(ref.name ?? '');
      const v = s?.data?.[ref.key ?? ''];
      if (v === undefined) {
        if (ref.optional) continue;
        throw new ContainerStartError(
          'CreateContainerConfigError',
          s
            ? `couldn't find key ${ref.key ?? ''} in Secret ${ns}/${ref.name ?? ''}`
            : `secret "${ref.name ?? ''}" not found`,
        );
      }
      env[e.name] = decode(v);
    }
  }
  return env;
}
