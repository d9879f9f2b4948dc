/** Builders of Nodes, Pods and NodeInfos for the scheduler's table-driven specs. */
import type { Namespace, Node, Pod, PodSpec, Taint } from '@kubeling/api';
import type { Handle, Snapshot } from '../framework/interface';
import { NodeInfo, newPodInfo } from '../framework/nodeInfo';
import { resolveConfig } from '../config/config';
import { Framework } from '../framework/framework';
import { inTreeRegistry } from '../plugins/registry';

export interface NodeOpts {
  cpu?: string;
  memory?: string;
  pods?: string;
  labels?: Record<string, string>;
  taints?: Taint[];
  unschedulable?: boolean;
  extra?: Record<string, string>;
  images?: Array<{ names: string[]; sizeBytes: number }>;
}

export function makeNode(name: string, o: NodeOpts = {}): Node {
  const allocatable = {
    cpu: o.cpu ?? '4',
    memory: o.memory ?? '8Gi',
    pods: o.pods ?? '110',
    ...o.extra,
  };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...o.labels } },
    spec: {
      ...(o.taints ? { taints: o.taints } : {}),
      ...(o.unschedulable ? { unschedulable: true } : {}),
    },
    status: {
      capacity: allocatable,
      allocatable,
      conditions: [{ type: 'Ready', status: 'True' }],
      ...(o.images ? { images: o.images } : {}),
    },
  };
}

export interface PodOpts {
  cpu?: string;
  memory?: string;
  labels?: Record<string, string>;
  namespace?: string;
  nodeName?: string;
  priority?: number;
  spec?: Partial<PodSpec>;
}

export function makePod(name: string, o: PodOpts = {}): Pod {
  const requests: Record<string, string> = {};
  if (o.cpu) requests.cpu = o.cpu;
  if (o.memory) requests.memory = o.memory;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: o.namespace ?? 'default',
      uid: `uid-${name}`,
      ...(o.labels ? { labels: o.labels } : {}),
    },
    spec: {
      containers: [{ name: 'c', image: 'nginx', resources: { requests } }],
      schedulerName: 'default-scheduler',
      ...(o.nodeName ? { nodeName: o.nodeName } : {}),
      ...(o.priority !== undefined ? { priority: o.priority } : {}),
      ...o.spec,
    },
    status: { phase: 'Pending' },
  };
}

/** NodeInfos with their pods, and a Handle whose snapshot is them. */
export function infos(nodes: Node[], pods: Pod[] = []): NodeInfo[] {
  const out = nodes.map((n) => new NodeInfo(n));
  for (const p of pods) out.find((n) => n.name === p.spec.nodeName)?.addPod(newPodInfo(p));
  return out;
}

export function snapshotOf(list: NodeInfo[]): Snapshot {
  return {
    nodes: list,
    get: (n) => list.find((x) => x.name === n),
    havePodsWithAffinity: () => list.filter((n) => n.podsWithAffinity.size > 0),
  };
}

export function testHandle(
  list: NodeInfo[],
  namespaces: Record<string, Record<string, string>> = {},
): Handle {
  let snap = snapshotOf(list);
  let fw: Framework | undefined;
  const handle: Handle = {
    snapshot: () => snap,
    namespace: (n) =>
      n in namespaces ? ({ metadata: { name: n, labels: namespaces[n] } } as Namespace) : undefined,
    clock: { now: () => 0, setTimer: () => () => undefined },
    client: undefined,
    framework: () =>
      (fw ??= new Framework(
        resolveConfig(undefined, inTreeRegistry).profiles[0]!,
        inTreeRegistry,
        handle,
      )),
    withSnapshot: (s, fn) => {
      const prev = snap;
      snap = s;
      try {
        return fn();
      } finally {
        snap = prev;
      }
    },
  };
  return handle;
}
