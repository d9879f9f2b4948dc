/**
 * The state directory of a cluster, `${KUBELING_HOME:-~/.kubeling}/<name>/`:
 *
 *   cluster.json   what `up` started (options, each process's pid, port, log, command)
 *   kubeconfig     for kubectl (cluster, user and context `kubeling-<name>`)
 *   logs/<id>.log  stdout and stderr of each component instance (and of its own servers)
 *   data/redis/    the append-only file of the cluster's own redis-server, when it has one
 *   data/nats/     the JetStream store of the cluster's own nats-server, when it has one
 *
 * cluster.json is the cluster's claim on its name: `up` creates it exclusively before it starts
 * anything and rewrites it after every process it starts, so `down` can always find what a
 * crashed or interrupted `up` left running.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { z } from 'zod';
import { RUNTIMES } from './flags';
import { CliError, errorMessage } from './errors';

export function kubelingHome(env: NodeJS.ProcessEnv): string {
  const home = env['KUBELING_HOME'];
  return home ? path.resolve(home) : path.join(os.homedir(), '.kubeling');
}

export interface ClusterPaths {
  dir: string;
  stateFile: string;
  kubeconfig: string;
  logs: string;
  /** Files of the cluster's own redis-server and nats-server (localServers.ts). */
  data: string;
}

export function clusterPaths(home: string, name: string): ClusterPaths {
  const dir = path.join(home, name);
  return {
    dir,
    stateFile: path.join(dir, 'cluster.json'),
    kubeconfig: path.join(dir, 'kubeconfig'),
    logs: path.join(dir, 'logs'),
    data: path.join(dir, 'data'),
  };
}

const Readiness = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('http'), path: z.string() }),
  z.object({ kind: z.literal('stdout'), line: z.string() }),
]);

export const ComponentRecord = z.object({
  /** Instance id, unique in the cluster: "api-server", "api-server-1". */
  id: z.string(),
  /** Table entry it came from. */
  component: z.string(),
  /** Also its process group id: every instance leads its own group. */
  pid: z.number().int().positive(),
  port: z.number().int().optional(),
  log: z.string(),
  /** Absolute entry file. */
  entry: z.string(),
  /** Start time of the process (/proc/<pid>/stat); a pid with another start time is not ours. */
  startTicks: z.string().optional(),
  command: z.array(z.string()),
  readiness: Readiness,
  startedAt: z.string(),
});
export type ComponentRecord = z.infer<typeof ComponentRecord>;

export const SERVER_NAMES = ['redis-server', 'nats-server'] as const;
export type ServerName = (typeof SERVER_NAMES)[number];

/** A redis-server or nats-server `up` started for the cluster because none was running. */
export const ServerRecord = z.object({
  name: z.enum(SERVER_NAMES),
  /** Also its process group id, like a component's. */
  pid: z.number().int().positive(),
  startTicks: z.string().optional(),
  port: z.number().int(),
  /** What the components were given: redis://127.0.0.1:<port> or nats://127.0.0.1:<port>. */
  url: z.string(),
  /** Its files (append-only file, JetStream store); kept by `down --keep-data`. */
  dataDir: z.string(),
  log: z.string(),
  command: z.array(z.string()),
  startedAt: z.string(),
});
export type ServerRecord = z.infer<typeof ServerRecord>;

export const ClusterState = z.object({
  name: z.string(),
  /**
   * "starting" while `up` runs (or if it died half-way), "running" once everything is ready,
   * "stopped" after `down --keep-data`: no process runs, the data is kept for the next `up`.
   */
  phase: z.enum(['starting', 'running', 'stopped']),
  createdAt: z.string(),
  options: z.object({
    nodes: z.number().int(),
    runtime: z.enum(RUNTIMES),
    apiServers: z.number().int(),
    /** Absent in the state of clusters made before the controller-manager existed. */
    controllerManagers: z.number().int().default(1),
    redisUrl: z.string(),
    natsUrl: z.string(),
    port: z.number().int().optional(),
  }),
  /** Where the kubeconfig points; absent until the api-server is ready. */
  server: z.string().optional(),
  kubeconfig: z.string(),
  components: z.array(ComponentRecord),
  /** Started after Redis/NATS and before the components; stopped after the components. */
  servers: z.array(ServerRecord).default([]),
});
export type ClusterState = z.infer<typeof ClusterState>;

/** The recorded state, undefined when there is none, CliError when it cannot be read. */
export function readClusterState(paths: ClusterPaths): ClusterState | undefined {
  let text: string;
  try {
    text = fs.readFileSync(paths.stateFile, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CliError(`cannot read ${paths.stateFile}: ${errorMessage(err)}`);
  }
  try {
    return ClusterState.parse(JSON.parse(text));
  } catch (err) {
    throw new CliError(`${paths.stateFile} is not a valid cluster state: ${errorMessage(err)}`);
  }
}

/** Creates cluster.json only if it does not exist yet; false when another cluster holds the name. */
export function claimClusterState(paths: ClusterPaths, state: ClusterState): boolean {
  fs.mkdirSync(paths.logs, { recursive: true });
  try {
    fs.writeFileSync(paths.stateFile, json(state), { flag: 'wx' });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/**
 * Claims the name of a cluster stopped by `down --keep-data` for a new `up`: the stopped state
 * is moved aside (rename is atomic, so of two racing `up`s only one gets it) and the new state
 * created as by claimClusterState. Returns the stopped state, or undefined when another `up`
 * took it first.
 */
export function claimStoppedClusterState(
  paths: ClusterPaths,
  state: ClusterState,
): ClusterState | undefined {
  const aside = `${paths.stateFile}.${process.pid}.stopped`;
  try {
    fs.renameSync(paths.stateFile, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const stopped = readClusterState({ ...paths, stateFile: aside });
  fs.rmSync(aside, { force: true });
  if (stopped?.phase !== 'stopped') {
    // It was started again between our read and the rename: put it back.
    if (stopped) claimClusterState(paths, stopped);
    return undefined;
  }
  return claimClusterState(paths, state) ? stopped : undefined;
}

/** Replaces cluster.json atomically (write + rename), so a reader never sees half a file. */
export function writeClusterState(paths: ClusterPaths, state: ClusterState): void {
  writeFileAtomic(paths.stateFile, json(state));
}

export function writeFileAtomic(file: string, content: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/** Names of the clusters that have a cluster.json under home, sorted. */
export function listClusterNames(home: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(home, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.isDirectory() && fs.existsSync(clusterPaths(home, e.name).stateFile))
    .map((e) => e.name)
    .sort();
}

function json(state: ClusterState): string {
  return `${JSON.stringify(state, null, 2)}\n`;
}
