/**
 * The component table: which processes make up a cluster and how to start them.
 *
 * Adding a component (scheduler, controller-manager, kubelet, kube-proxy) is one entry in
 * COMPONENTS: its entry file, how many replicas, the flags it gets, what it must start after,
 * and how it says it is ready (HTTP /readyz on a port, or a line on stdout). `kubeling up`
 * starts the table in dependency order, one stage per component, replicas in parallel; `down`
 * stops everything regardless of the table, from what cluster.json recorded.
 */
import * as path from 'node:path';
import type { Runtime, UpOptions } from './flags';
import { clusterPaths, kubelingHome } from './state';

/** The options once `up` has settled where Redis and NATS are (localServers.ts). */
export type ResolvedUpOptions = UpOptions & { redisUrl: string; natsUrl: string };

/** How `up` decides an instance is ready, and `status` whether it is healthy. */
export type Readiness =
  | { kind: 'http'; path: string }
  /** A line of the instance's stdout (its log file) matching this regular expression source. */
  | { kind: 'stdout'; line: string };

/** What an args builder knows about the instance it is building flags for. */
export interface InstanceContext {
  cluster: string;
  redisUrl: string;
  natsUrl: string;
  nodes: number;
  runtime: Runtime;
  /** Replica index, 0-based. */
  index: number;
  /** Unique instance id within the cluster, e.g. "api-server" or "api-server-1". */
  id: string;
  /** Address the instance binds to (components are local processes). */
  host: string;
  /** The port allocated for it when the component `listens`. */
  port?: number;
}

export interface ComponentSpec {
  name: string;
  /** Entry file, relative to the workspace root (absolute paths are used as they are). */
  entry: string;
  /** Components that must be ready before this one starts. */
  after: readonly string[];
  replicas(options: UpOptions): number;
  /** Present when each instance needs a TCP port; basePort is the user's choice for replica 0. */
  listens?: { basePort(options: UpOptions): number | undefined };
  args(ctx: InstanceContext): string[];
  readiness: Readiness;
  /** The kubeconfig points at the first instance of the component that serves the API. */
  servesApi?: boolean;
}

export const LOCAL_HOST = '127.0.0.1';

const apiServer: ComponentSpec = {
  name: 'api-server',
  entry: 'apps/api-server/src/main.ts',
  after: [],
  replicas: (o) => o.apiServers,
  listens: { basePort: (o) => o.port },
  // prettier-ignore
  args: (c) => [
    '--cluster-name', c.cluster,
    '--bind-address', c.host,
    '--port', String(c.port),
    '--redis-url', c.redisUrl,
    '--nats-url', c.natsUrl,
    '--id', c.id,
  ],
  readiness: { kind: 'http', path: '/readyz' },
  servesApi: true,
};

/**
 * kube-controller-manager: `--controller-managers` replicas, leader-elected on the Lease
 * kube-system/kube-controller-manager. Each serves /readyz on a port of its own (a standby
 * is ready too: it only waits for the Lease).
 */
const controllerManager: ComponentSpec = {
  name: 'controller-manager',
  entry: 'apps/controller-manager/src/main.ts',
  after: ['api-server'],
  replicas: (o) => o.controllerManagers,
  listens: { basePort: () => undefined },
  // prettier-ignore
  args: (c) => [
    '--cluster-name', c.cluster,
    '--nats-url', c.natsUrl,
    '--bind-address', c.host,
    '--secure-port', String(c.port),
    '--id', c.id,
  ],
  readiness: { kind: 'http', path: '/readyz' },
};

/**
 * The nodes. With `--runtime process` one kubelet process per node (node-1 ... node-N, each
 * with its own InternalIP 127.0.1.<i+1> and podCIDR 127.244.<i>.0/24); with `--runtime sim`
 * one process hosting all N hollow nodes. Each kubelet gets a free port for its server
 * (`--port`, published in the Node's daemonEndpoints); its metrics/health port is free too.
 * State (pod dirs, volumes, container logs) lives in <cluster dir>/data/kubelet/<node>.
 */
const kubelet: ComponentSpec = {
  name: 'kubelet',
  entry: 'apps/kubelet/src/main.ts',
  after: ['api-server'],
  replicas: (o) => (o.runtime === 'sim' ? (o.nodes > 0 ? 1 : 0) : o.nodes),
  listens: { basePort: () => undefined },
  // prettier-ignore
  args: (c) => [
    '--cluster-name', c.cluster,
    '--nats-url', c.natsUrl,
    '--runtime', c.runtime,
    ...(c.runtime === 'sim'
      ? ['--nodes', String(c.nodes), '--node-name', 'node-{n}']
      : ['--node-name', `node-${c.index + 1}`, '--node-index', String(c.index)]),
    '--root-dir', path.join(clusterPaths(kubelingHome(process.env), c.cluster).data, 'kubelet'),
    '--port', String(c.port),
    '--bind-address', c.host,
    '--id', c.id,
  ],
  readiness: { kind: 'stdout', line: '"kubelet running"' },
};

/**
 * kube-scheduler (apps/scheduler): leader-elected, so `--schedulers 2` adds a standby. Each
 * replica serves /readyz, /metrics and /debug/decisions on its own port (10259 is upstream's,
 * but replicas on one machine need one each: a free port).
 */
const scheduler: ComponentSpec = {
  name: 'scheduler',
  entry: 'apps/scheduler/src/main.ts',
  after: ['api-server'],
  replicas: (o) => o.schedulers ?? 1,
  listens: { basePort: () => undefined },
  // prettier-ignore
  args: (c) => [
    '--cluster-name', c.cluster,
    '--nats-url', c.natsUrl,
    '--bind-address', c.host,
    '--secure-port', String(c.port),
    '--id', c.id,
  ],
  readiness: { kind: 'http', path: '/readyz' },
};

/** Start order is dependency order. */
export const COMPONENTS: readonly ComponentSpec[] = [
  apiServer,
  controllerManager,
  scheduler,
  kubelet,
];

/** The table sorted so that every component comes after those in its `after` list. */
export function startOrder(table: readonly ComponentSpec[]): ComponentSpec[] {
  const byName = new Map(table.map((c) => [c.name, c]));
  if (byName.size !== table.length) throw new Error('component table has duplicate names');
  const done = new Set<string>();
  const visiting = new Set<string>();
  const order: ComponentSpec[] = [];
  const visit = (c: ComponentSpec): void => {
    if (done.has(c.name)) return;
    if (visiting.has(c.name))
      throw new Error(`component table has a dependency cycle through "${c.name}"`);
    visiting.add(c.name);
    for (const dep of c.after) {
      const d = byName.get(dep);
      if (!d) throw new Error(`component "${c.name}" starts after unknown component "${dep}"`);
      visit(d);
    }
    visiting.delete(c.name);
    done.add(c.name);
    order.push(c);
  };
  // Visiting in table order keeps the table's order wherever dependencies allow it.
  for (const c of table) visit(c);
  return order;
}

/** One process to start. */
export interface PlannedInstance {
  component: string;
  id: string;
  entry: string;
  args: string[];
  port?: number;
  readiness: Readiness;
  servesApi: boolean;
}

/** Hands out ports: the preferred one when given (failing if taken), else a free one. */
export type PortAllocator = (preferred: number | undefined) => Promise<number>;

/** Instance ids: the component name alone for a single replica, `<name>-<i>` for several. */
export function instanceId(component: string, index: number, replicas: number): string {
  return replicas === 1 ? component : `${component}-${index}`;
}

/** The instances to start, grouped in stages: each stage waits for the previous one to be ready. */
export async function planCluster(
  options: ResolvedUpOptions,
  table: readonly ComponentSpec[],
  allocatePort: PortAllocator,
): Promise<PlannedInstance[][]> {
  const stages: PlannedInstance[][] = [];
  for (const spec of startOrder(table)) {
    const replicas = spec.replicas(options);
    const stage: PlannedInstance[] = [];
    for (let index = 0; index < replicas; index++) {
      const id = instanceId(spec.name, index, replicas);
      let port: number | undefined;
      if (spec.listens) {
        const base = spec.listens.basePort(options);
        port = await allocatePort(base === undefined ? undefined : base + index);
      }
      const ctx: InstanceContext = {
        cluster: options.name,
        redisUrl: options.redisUrl,
        natsUrl: options.natsUrl,
        nodes: options.nodes,
        runtime: options.runtime,
        index,
        id,
        host: LOCAL_HOST,
        ...(port === undefined ? {} : { port }),
      };
      stage.push({
        component: spec.name,
        id,
        entry: spec.entry,
        args: spec.args(ctx),
        ...(port === undefined ? {} : { port }),
        readiness: spec.readiness,
        servesApi: spec.servesApi ?? false,
      });
    }
    if (stage.length > 0) stages.push(stage);
  }
  return stages;
}
