/**
 * Where a pod's streaming subresource lives on its node's kubelet: upstream's LogLocation,
 * ExecLocation, AttachLocation and PortForwardLocation (pkg/registry/core/pod/strategy.go).
 * The pod is read, the container defaulted and checked, the node's kubelet address found, and
 * the kubelet URL built with the options re-encoded as the kubelet reads them (booleans as "1").
 * Errors are upstream's Status errors: NotFound for the pod or its node, BadRequest for a
 * missing or unknown container and for a pod with no node, Invalid for bad PodLogOptions.
 */
import type { KubeObject } from '@kubeling/api';
import { badRequest, invalid, invalidValue, statusFailure } from '@kubeling/api';
import type { FieldError } from '@kubeling/api';
import type { Api } from '../registry/api';
import type { Query } from '../registry/options';

export type StreamKind = 'log' | 'exec' | 'attach' | 'portforward';

interface PodView extends KubeObject {
  spec?: {
    nodeName?: string;
    containers?: { name: string }[];
    initContainers?: { name: string }[];
    ephemeralContainers?: { name: string }[];
  };
}

interface NodeView extends KubeObject {
  status?: {
    addresses?: { type: string; address: string }[];
    daemonEndpoints?: { kubeletEndpoint?: { Port?: number } };
  };
}

export interface KubeletLocation {
  nodeName: string;
  host: string;
  port: number;
  /** Path and query on the kubelet, e.g. /exec/default/web/c?command=sh&stdin=1 */
  path: string;
}

/**
 * The address types tried, in order (upstream's --kubelet-preferred-address-types, with
 * InternalIP first: a kubeling node's Hostname need not resolve).
 */
export const preferredAddressTypes = [
  'InternalIP',
  'ExternalIP',
  'InternalDNS',
  'ExternalDNS',
  'Hostname',
];

/** Upstream's kubelet port when daemonEndpoints does not name one. */
export const defaultKubeletPort = 10250;

function all(q: Query, name: string): string[] {
  const v = q[name];
  if (v === undefined) return [];
  return Array.isArray(v) ? v.map(String) : [String(v)];
}

function first(q: Query, name: string): string | undefined {
  return all(q, name)[0];
}

/** Go's strconv.ParseBool, as the query decoder reads booleans. */
function bool(q: Query, name: string): boolean {
  const v = first(q, name);
  if (v === undefined || v === '') return false;
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(v)) return false;
  throw badRequest(`strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`);
}

function int(q: Query, name: string): number | undefined {
  const v = first(q, name);
  if (v === undefined || v === '') return undefined;
  if (!/^-?\d+$/.test(v))
    throw badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  return Number(v);
}

function allContainerNames(pod: PodView): string[] {
  const s = pod.spec ?? {};
  return [
    ...(s.initContainers ?? []),
    ...(s.containers ?? []),
    ...(s.ephemeralContainers ?? []),
  ].map((c) => c.name);
}

/** validateContainer (logs): defaults a single container; names all containers otherwise. */
function logContainer(pod: PodView, name: string, container: string | undefined): string {
  const containers = pod.spec?.containers ?? [];
  if (!container) {
    if (containers.length === 1) return (containers[0] as { name: string }).name;
    if (containers.length === 0) throw badRequest(`pod ${name} does not have a container`);
    throw badRequest(
      `a container name must be specified for pod ${name}, choose one of: [${allContainerNames(pod).join(' ')}]`,
    );
  }
  if (!allContainerNames(pod).includes(container))
    throw badRequest(`container ${container} is not valid for pod ${name}`);
  return container;
}

/** streamLocation's container rule (exec, attach): init containers are listed apart. */
function streamContainer(pod: PodView, name: string, container: string | undefined): string {
  const containers = pod.spec?.containers ?? [];
  if (!container) {
    if (containers.length === 1) return (containers[0] as { name: string }).name;
    if (containers.length === 0) throw badRequest(`pod ${name} does not have a container`);
    let msg = `a container name must be specified for pod ${name}, choose one of: [${containers.map((c) => c.name).join(' ')}]`;
    const init = pod.spec?.initContainers ?? [];
    if (init.length)
      msg += ` or one of the init containers: [${init.map((c) => c.name).join(' ')}]`;
    throw badRequest(msg);
  }
  if (!allContainerNames(pod).includes(container))
    throw badRequest(`container ${container} is not valid for pod ${name}`);
  return container;
}

/** ValidatePodLogOptions. */
function logParams(q: Query, name: string): URLSearchParams {
  const params = new URLSearchParams();
  const errs: FieldError[] = [];
  const tailLines = int(q, 'tailLines');
  const sinceSeconds = int(q, 'sinceSeconds');
  const limitBytes = int(q, 'limitBytes');
  const sinceTime = first(q, 'sinceTime');
  if (tailLines !== undefined && tailLines < 0)
    errs.push(invalidValue('tailLines', tailLines, 'must be greater than or equal to 0'));
  if (limitBytes !== undefined && limitBytes < 1)
    errs.push(invalidValue('limitBytes', limitBytes, 'must be greater than 0'));
  if (sinceSeconds !== undefined && sinceTime)
    errs.push({
      type: 'FieldValueForbidden',
      field: '',
      detail: 'at most one of `sinceTime` or `sinceSeconds` may be specified',
    } as FieldError);
  if (sinceSeconds !== undefined && sinceSeconds < 1)
    errs.push(invalidValue('sinceSeconds', sinceSeconds, 'must be greater than 0'));
  if (sinceTime && Number.isNaN(Date.parse(sinceTime)))
    throw badRequest(`parsing time ${JSON.stringify(sinceTime)} as RFC 3339: cannot parse`);
  if (errs.length) throw invalid({ group: '', kind: 'PodLogOptions' }, name, errs);
  if (bool(q, 'follow')) params.set('follow', 'true');
  if (bool(q, 'previous')) params.set('previous', 'true');
  if (bool(q, 'timestamps')) params.set('timestamps', 'true');
  if (sinceSeconds !== undefined) params.set('sinceSeconds', String(sinceSeconds));
  if (sinceTime) params.set('sinceTime', sinceTime);
  if (tailLines !== undefined) params.set('tailLines', String(tailLines));
  if (limitBytes !== undefined) params.set('limitBytes', String(limitBytes));
  return params;
}

/** streamParams: PodExecOptions / PodAttachOptions as the kubelet reads them. */
function execParams(q: Query, kind: 'exec' | 'attach'): URLSearchParams {
  const params = new URLSearchParams();
  if (kind === 'exec') for (const c of all(q, 'command')) params.append('command', c);
  for (const f of ['stdin', 'stdout', 'stderr', 'tty']) if (bool(q, f)) params.set(f, '1');
  return params;
}

function portParams(q: Query): URLSearchParams {
  const params = new URLSearchParams();
  for (const p of all(q, 'ports')) params.append('ports', p);
  return params;
}

/** The node's kubelet address (upstream's NodeConnectionInfoGetter). */
export function kubeletAddress(node: NodeView): { host: string; port: number } {
  const addresses = node.status?.addresses ?? [];
  let host: string | undefined;
  for (const t of preferredAddressTypes) {
    host = addresses.find((a) => a.type === t && a.address)?.address;
    if (host) break;
  }
  if (!host)
    throw statusFailure(
      'InternalError',
      `no preferred addresses found; known addresses: ${JSON.stringify(addresses)}`,
    );
  const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port || defaultKubeletPort;
  return { host, port };
}

export async function kubeletLocation(
  api: Api,
  kind: StreamKind,
  namespace: string,
  name: string,
  query: Query,
): Promise<KubeletLocation | undefined> {
  const pod = (
    await api.handle({
      verb: 'get',
      group: '',
      version: 'v1',
      resource: 'pods',
      namespace,
      name,
    })
  ).body as PodView;
  const container = first(query, 'container');
  let path: string;
  let params: URLSearchParams;
  const ns = encodeURIComponent(namespace);
  const pn = encodeURIComponent(name);
  switch (kind) {
    case 'log': {
      const c = logContainer(pod, name, container);
      params = logParams(query, name);
      path = `/containerLogs/${ns}/${pn}/${encodeURIComponent(c)}`;
      break;
    }
    case 'exec':
    case 'attach': {
      const c = streamContainer(pod, name, container);
      params = execParams(query, kind);
      path = `/${kind}/${ns}/${pn}/${encodeURIComponent(c)}`;
      break;
    }
    case 'portforward':
      params = portParams(query);
      path = `/portForward/${ns}/${pn}`;
      break;
  }
  const nodeName = pod.spec?.nodeName ?? '';
  // LogLocation: an unscheduled pod has an empty log (200, no body); the others refuse.
  if (!nodeName && kind === 'log') return undefined;
  if (!nodeName) throw badRequest(`pod ${name} does not have a host assigned`);
  const node = (
    await api.handle({
      verb: 'get',
      group: '',
      version: 'v1',
      resource: 'nodes',
      name: nodeName,
    })
  ).body as NodeView;
  const { host, port } = kubeletAddress(node);
  const qs = params.toString();
  return { nodeName, host, port, path: qs ? `${path}?${qs}` : path };
}
