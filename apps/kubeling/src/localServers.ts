/**
 * The cluster's own Redis and NATS, so that `npm start` works on a machine where neither runs.
 * For each of the two, `up` takes the first that applies:
 *
 *   1. a URL the user gave (`--redis-url`, `$REDIS_URL`; `--nats-url`, `$NATS_URL`): used as it
 *      is and never replaced — if it does not answer, `up` fails, since that is the one asked for;
 *   2. a cluster stopped by `down --keep-data` gets back what it had: its own server, on its
 *      data, or the URL it used (checked like a URL the user gave);
 *   3. the default address (redis://127.0.0.1:6379, nats://127.0.0.1:4222) when something answers;
 *   4. otherwise a `redis-server` / `nats-server` of the cluster's own, found on PATH, bound to
 *      127.0.0.1 on a free port, its files under `<state>/data/`, recorded in cluster.json and
 *      stopped by `down` after the components.
 *
 * Each cluster gets servers of its own; a second cluster does not reuse the first one's. So
 * `down` of one never takes the store from under another, and a cluster's data lives and dies
 * with its directory. Clusters that should share a Redis say so by naming the same URL.
 *
 * Redis keeps an append-only file (fsync every second, Redis's default), so a restart of that
 * Redis — `down --keep-data` then `up`, or a reboot — finds the cluster's objects again; RDB
 * snapshots are off, the AOF alone is the record. NATS runs with JetStream, its store beside it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PortAllocator } from './components';
import { LOCAL_HOST } from './components';
import { CliError } from './errors';
import { checkNats, checkRedis, natsAnswers, redisAnswers } from './infra';
import { processStartTicks, spawnDetached } from './processes';
import type { ClusterPaths, ServerName, ServerRecord } from './state';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';

/**
 * The addresses `up` probes when no URL is given. KUBELING_DEFAULT_REDIS_URL and
 * KUBELING_DEFAULT_NATS_URL move them: a test on a machine whose 6379 and 4222 are taken points
 * them at unused ports to play the fresh machine.
 */
export function defaultUrls(env: NodeJS.ProcessEnv): { redis: string; nats: string } {
  return {
    redis: env['KUBELING_DEFAULT_REDIS_URL'] || DEFAULT_REDIS_URL,
    nats: env['KUBELING_DEFAULT_NATS_URL'] || DEFAULT_NATS_URL,
  };
}

/** The one line that tells a user without the servers how to get them. */
export const INSTALL_HINT =
  'Install them (Debian/Ubuntu: sudo apt-get install redis-server nats-server; macOS: brew install redis nats-server), or set REDIS_URL / NATS_URL to servers that run.';

/** Servers are often packaged into sbin, which a user's PATH may lack (Debian's does). */
export const SBIN_DIRS: readonly string[] = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

/** The directories searched for redis-server and nats-server: PATH, then `extra`. */
export function binaryDirs(env: NodeJS.ProcessEnv, extra: readonly string[]): string[] {
  const fromPath = (env['PATH'] ?? '').split(path.delimiter).filter((d) => d !== '');
  return [...fromPath, ...extra];
}

export function findExecutable(name: string, dirs: readonly string[]): string | undefined {
  for (const dir of dirs) {
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

interface ServerKind {
  name: ServerName;
  /** How messages name what it provides. */
  what: 'Redis' | 'NATS';
  scheme: 'redis' | 'nats';
  answers(url: string): Promise<boolean>;
  /** Throws the CliError `up` has always given for an unreachable URL. */
  check(url: string): Promise<void>;
  args(port: number, dataDir: string, cluster: string): string[];
}

export function redisServerArgs(port: number, dataDir: string): string[] {
  // prettier-ignore
  return [
    '--port', String(port),
    '--bind', LOCAL_HOST,
    '--protected-mode', 'yes',
    '--dir', dataDir,
    '--appendonly', 'yes',
    '--save', '',
    '--daemonize', 'no',
  ];
}

export function natsServerArgs(port: number, dataDir: string, cluster: string): string[] {
  // prettier-ignore
  return [
    '--addr', LOCAL_HOST,
    '--port', String(port),
    '--jetstream',
    '--store_dir', dataDir,
    '--server_name', `kubeling-${cluster}`,
  ];
}

const REDIS: ServerKind = {
  name: 'redis-server',
  what: 'Redis',
  scheme: 'redis',
  answers: redisAnswers,
  check: checkRedis,
  args: (port, dir) => redisServerArgs(port, dir),
};

const NATS: ServerKind = {
  name: 'nats-server',
  what: 'NATS',
  scheme: 'nats',
  answers: natsAnswers,
  check: checkNats,
  args: natsServerArgs,
};

/** A server to start: where its binary is, its port, URL, files and flags. */
export interface PlannedServer {
  name: ServerName;
  binary: string;
  port: number;
  url: string;
  dataDir: string;
  args: string[];
}

export interface ResolveRequest {
  cluster: string;
  /** The user's URLs; undefined where neither flag nor environment gave one. */
  redisUrl?: string;
  natsUrl?: string;
  /** Servers the cluster had of its own when it was stopped with its data. */
  previous: readonly ServerName[];
  /** The URLs a cluster stopped with its data used (for what it had no server of its own). */
  previousUrls?: { redis?: string; nats?: string };
  /** Probed when no URL is given (defaultUrls). */
  defaults: { redis: string; nats: string };
  paths: ClusterPaths;
  binDirs: readonly string[];
  allocatePort: PortAllocator;
}

/** What the components are given, and which servers `up` must start for them. */
export interface Backends {
  redisUrl: string;
  natsUrl: string;
  start: PlannedServer[];
}

/** Decides, for Redis and NATS, between a running server and one of the cluster's own. */
export async function resolveBackends(req: ResolveRequest): Promise<Backends> {
  const start: PlannedServer[] = [];
  const missing: { kind: ServerKind; probed?: string }[] = [];
  const resolve = async (
    kind: ServerKind,
    given: string | undefined,
    fallback: string,
  ): Promise<string> => {
    if (given !== undefined) {
      await kind.check(given);
      return given;
    }
    let probed: string | undefined;
    if (!req.previous.includes(kind.name)) {
      if (await kind.answers(fallback)) return fallback;
      probed = fallback;
    }
    const binary = findExecutable(kind.name, req.binDirs);
    if (binary === undefined) {
      missing.push({ kind, ...(probed === undefined ? {} : { probed }) });
      return '';
    }
    const port = await req.allocatePort(undefined);
    const dataDir = path.join(req.paths.data, kind.scheme);
    const url = `${kind.scheme}://${LOCAL_HOST}:${port}`;
    start.push({
      name: kind.name,
      binary,
      port,
      url,
      dataDir,
      args: kind.args(port, dataDir, req.cluster),
    });
    return url;
  };
  const previousUrl = (kind: ServerKind, url: string | undefined) =>
    req.previous.includes(kind.name) ? undefined : url;
  const redisUrl = await resolve(
    REDIS,
    req.redisUrl ?? previousUrl(REDIS, req.previousUrls?.redis),
    req.defaults.redis,
  );
  const natsUrl = await resolve(
    NATS,
    req.natsUrl ?? previousUrl(NATS, req.previousUrls?.nats),
    req.defaults.nats,
  );
  if (missing.length > 0) throw notInstalled(missing);
  return { redisUrl, natsUrl, start };
}

function notInstalled(missing: readonly { kind: ServerKind; probed?: string }[]): CliError {
  const what = missing.map((m) => m.kind.what).join(' or ');
  const where = missing.flatMap((m) => (m.probed === undefined ? [] : [m.probed]));
  const names = missing.map((m) => m.kind.name);
  const verb = names.length === 1 ? 'is' : 'are';
  return new CliError(
    `no ${what} to use: ${where.length > 0 ? `nothing answers at ${where.join(' or ')}, and ` : ''}` +
      `${names.join(' and ')} ${verb} not installed, so kubeling cannot start ${names.length === 1 ? 'one' : 'them'} for the cluster`,
    INSTALL_HINT,
  );
}

/** Starts one server in the background; ready once `serverAnswers` says so. */
export async function startServer(
  planned: PlannedServer,
  paths: ClusterPaths,
  env: NodeJS.ProcessEnv,
): Promise<ServerRecord> {
  fs.mkdirSync(planned.dataDir, { recursive: true });
  const log = path.join(paths.logs, `${planned.name}.log`);
  const command = [planned.binary, ...planned.args];
  fs.appendFileSync(log, `# ${new Date().toISOString()} kubeling up: ${command.join(' ')}\n`);
  // cwd is the data directory: nothing the server writes by a relative path lands elsewhere.
  const pid = await spawnDetached({ command, cwd: planned.dataDir, env, logFile: log });
  const startTicks = processStartTicks(pid);
  return {
    name: planned.name,
    pid,
    ...(startTicks === undefined ? {} : { startTicks }),
    port: planned.port,
    url: planned.url,
    dataDir: planned.dataDir,
    log,
    command,
    startedAt: new Date().toISOString(),
  };
}

/** Redis answers PING / NATS accepts a client; Redis still loading its AOF does not count. */
export function serverAnswers(server: Pick<ServerRecord, 'name' | 'url'>): Promise<boolean> {
  return server.name === 'redis-server' ? redisAnswers(server.url) : natsAnswers(server.url);
}
