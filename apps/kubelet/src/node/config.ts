/**
 * What a node is made of, from the flags and an optional KubeletConfiguration file: its name,
 * addresses, podCIDR, labels, taints and capacity. `--nodes N` turns one set of flags into N
 * node configs (hollow nodes), each with its own name, InternalIP and podCIDR.
 */
import fs from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { Taint } from '@kubeling/api';
import { TaintEffects } from '@kubeling/api';
import { FlagValueError } from '@kubeling/runtime';

export interface NodeConfig {
  name: string;
  index: number;
  nodeIP: string;
  podCIDR: string;
  labels: Record<string, string>;
  taints: Taint[];
  capacity: Record<string, string>;
  maxPods: number;
  kubeletPort: number;
}

/** The fields of upstream's KubeletConfiguration (kubelet.config.k8s.io/v1beta1) kubeling reads. */
export interface KubeletConfigFile {
  registerWithTaints?: Taint[];
  nodeLabels?: Record<string, string>;
  maxPods?: number;
  podCIDR?: string;
  nodeStatusUpdateFrequency?: string;
  nodeStatusReportFrequency?: string;
  nodeLeaseDurationSeconds?: number;
  port?: number;
  rootDir?: string;
}

export function readConfigFile(file: string): KubeletConfigFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new FlagValueError(
      `failed to read kubelet config file "${file}": ${(e as Error).message}`,
    );
  }
  const obj = parseYaml(text) as unknown;
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj))
    throw new FlagValueError(`kubelet config file "${file}" is not an object`);
  const kind = (obj as { kind?: unknown }).kind;
  if (kind !== undefined && kind !== 'KubeletConfiguration')
    throw new FlagValueError(
      `kubelet config file "${file}" has kind ${String(kind)}, want KubeletConfiguration`,
    );
  return obj as KubeletConfigFile;
}

/** `--node-labels a=b,c=d`. */
export function parseNodeLabels(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new FlagValueError(`invalid label "${part}": want key=value`);
    out[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return out;
}

/** `--register-with-taints key=value:Effect,key:Effect` (upstream's taint syntax). */
export function parseTaints(text: string): Taint[] {
  const out: Taint[] = [];
  for (const part of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const colon = part.lastIndexOf(':');
    if (colon <= 0) throw new FlagValueError(`invalid taint spec: ${part}`);
    const effect = part.slice(colon + 1);
    if (!(TaintEffects as readonly string[]).includes(effect))
      throw new FlagValueError(`invalid taint effect: ${effect}, unsupported taint effect`);
    const kv = part.slice(0, colon);
    const eq = kv.indexOf('=');
    const t: Taint = { key: eq < 0 ? kv : kv.slice(0, eq), effect };
    if (eq >= 0) t.value = kv.slice(eq + 1);
    out.push(t);
  }
  return out;
}

/** The trailing number of a name (`node-3` -> 3), or undefined. */
export function trailingNumber(name: string): number | undefined {
  const m = /(\d+)$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** 127.0.1.<i+1>, continuing into 127.0.2.x past 254 nodes. */
export function defaultNodeIP(index: number): string {
  const n = index + 1;
  return `127.0.${1 + Math.floor(n / 255)}.${n % 255 || 255}`;
}

/** 127.244.<i>.0/24, continuing into 127.245.x past 256 nodes. */
export function defaultPodCIDR(index: number): string {
  return `127.${244 + Math.floor(index / 256)}.${index % 256}.0/24`;
}

/** The name of node `n` (1-based) of a process: `{n}` in the pattern, else `<pattern>-<n>`. */
export function nodeNameAt(pattern: string, count: number, n: number): string {
  if (count === 1 && !pattern.includes('{n}')) return pattern;
  return pattern.includes('{n}') ? pattern.replaceAll('{n}', String(n)) : `${pattern}-${n}`;
}

export interface NodeFlagValues {
  nodeName: string;
  nodes: number;
  nodeIndex: number;
  nodeIp?: string | undefined;
  podCidr?: string | undefined;
  nodeLabels: string;
  registerWithTaints: string;
  maxPods: number;
  nodeCpu: string;
  nodeMemory: string;
  nodeEphemeralStorage: string;
  port: number;
}

/** The configs of the nodes this process hosts. Flags given explicitly win over the file. */
export function nodeConfigs(flags: NodeFlagValues, file: KubeletConfigFile = {}): NodeConfig[] {
  const labels = { ...(file.nodeLabels ?? {}), ...parseNodeLabels(flags.nodeLabels) };
  const taints = flags.registerWithTaints
    ? parseTaints(flags.registerWithTaints)
    : (file.registerWithTaints ?? []);
  const first =
    flags.nodeIndex >= 0
      ? flags.nodeIndex
      : flags.nodes === 1
        ? Math.max(0, (trailingNumber(flags.nodeName) ?? 1) - 1)
        : 0;
  const maxPods = file.maxPods ?? flags.maxPods;
  const out: NodeConfig[] = [];
  for (let i = 0; i < flags.nodes; i++) {
    const index = first + i;
    const single = flags.nodes === 1;
    out.push({
      name: nodeNameAt(flags.nodeName, flags.nodes, index + 1),
      index,
      nodeIP: (single && flags.nodeIp) || defaultNodeIP(index),
      podCIDR: (single && (flags.podCidr ?? file.podCIDR)) || defaultPodCIDR(index),
      labels,
      taints,
      capacity: {
        cpu: flags.nodeCpu,
        memory: flags.nodeMemory,
        'ephemeral-storage': flags.nodeEphemeralStorage,
        pods: String(maxPods),
      },
      maxPods,
      kubeletPort: file.port ?? flags.port,
    });
  }
  return out;
}
