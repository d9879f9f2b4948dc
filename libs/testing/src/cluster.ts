/**
 * A whole kubeling cluster for a test, started by the real `kubeling up` (spawned through
 * apps/kubeling/bin/kubeling.js: a lib may not import an app) in a temporary KUBELING_HOME.
 *
 * Processes of a cluster run in their own process groups, so they outlive a test that forgets
 * down() or crashes. A safety net kills the groups of every cluster still up when the test
 * process exits (normally or by SIGINT/SIGTERM); down() remains the clean way, because it also
 * deletes the cluster's Redis keys.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { uniqueName } from './redis';
import { runProcess } from './run';
import type { RunResult } from './run';
import { testServices } from './services';
import { workspaceRoot } from './workspace';

export interface KubelingRunOptions {
  /** KUBELING_HOME for the command. */
  home: string;
  /** Extra environment; REDIS_URL / NATS_URL default to testServices(). */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** Runs `kubeling <args>` (the real CLI) to completion. */
export function runKubeling(args: readonly string[], opts: KubelingRunOptions): Promise<RunResult> {
  const root = workspaceRoot();
  const services = testServices();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    REDIS_URL: services.redisUrl,
    NATS_URL: services.natsUrl,
    ...opts.env,
    KUBELING_HOME: opts.home,
  };
  delete env['KUBECONFIG'];
  return runProcess(process.execPath, [path.join(root, 'apps/kubeling/bin/kubeling.js'), ...args], {
    env,
    cwd: root,
    timeoutMs: opts.timeoutMs ?? 120_000,
  });
}

export interface StartClusterOptions {
  /** Default: a unique name. */
  name?: string;
  nodes?: number;
  apiServers?: number;
  /** kube-controller-manager replicas (`kubeling up --controller-managers`); default 1. */
  controllerManagers?: number;
  /** `--schedulers`: scheduler replicas (kubeling's default is 1). */
  schedulers?: number;
  runtime?: 'process' | 'sim';
}

export interface TestCluster {
  name: string;
  /** Path of the kubeconfig `kubeling up` wrote. */
  kubeconfig: string;
  /** The api-server URL the kubeconfig points at, e.g. http://127.0.0.1:41234. */
  server: string;
  /** The temporary KUBELING_HOME; removed by down(). */
  home: string;
  /** `kubeling down`: stops the processes, deletes the Redis keys and the temp home. Idempotent. */
  down(): Promise<void>;
}

export async function startCluster(opts: StartClusterOptions = {}): Promise<TestCluster> {
  const name = opts.name ?? uniqueName('cluster');
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeling-home-'));
  const args = ['up', '--name', name];
  if (opts.nodes !== undefined) args.push('--nodes', String(opts.nodes));
  if (opts.apiServers !== undefined) args.push('--api-servers', String(opts.apiServers));
  if (opts.controllerManagers !== undefined)
    args.push('--controller-managers', String(opts.controllerManagers));
  if (opts.schedulers !== undefined) args.push('--schedulers', String(opts.schedulers));
  if (opts.runtime !== undefined) args.push('--runtime', opts.runtime);

  const entry = { name, home };
  safetyNet().add(entry);
  let downed = false;
  const down = async (): Promise<void> => {
    if (downed) return;
    downed = true;
    try {
      const r = await runKubeling(['down', '--name', name], { home });
      if (r.code !== 0)
        throw new Error(`kubeling down --name ${name} failed (${r.code}):\n${r.stdout}${r.stderr}`);
    } finally {
      killClusterProcesses(entry); // no-op after a successful down
      safetyNet().delete(entry);
      fs.rmSync(home, { recursive: true, force: true });
    }
  };

  const r = await runKubeling(args, { home });
  if (r.code !== 0) {
    await down().catch(() => undefined);
    throw new Error(`kubeling ${args.join(' ')} failed (exit ${r.code}):\n${r.stdout}${r.stderr}`);
  }
  const kubeconfig = path.join(home, name, 'kubeconfig');
  const config = parse(fs.readFileSync(kubeconfig, 'utf8')) as {
    clusters?: { cluster?: { server?: string } }[];
  };
  const server = config.clusters?.[0]?.cluster?.server;
  if (!server) {
    await down().catch(() => undefined);
    throw new Error(`${kubeconfig} names no server`);
  }
  return { name, kubeconfig, server, home, down };
}

interface NetEntry {
  name: string;
  home: string;
}

/** The process groups recorded in the cluster's cluster.json, SIGKILLed synchronously. */
function killClusterProcesses(entry: NetEntry): void {
  let pids: number[];
  try {
    const state = JSON.parse(
      fs.readFileSync(path.join(entry.home, entry.name, 'cluster.json'), 'utf8'),
    ) as {
      phase?: string;
      components?: { pid?: unknown }[];
      servers?: { pid?: unknown }[];
    };
    // A stopped cluster's server records name processes that ended long ago.
    if (state.phase === 'stopped') return;
    // The redis-server / nats-server kubeling started for the cluster go too.
    pids = [...(state.components ?? []), ...(state.servers ?? [])]
      .map((c) => c.pid)
      .filter((p): p is number => typeof p === 'number' && p > 0);
  } catch {
    return;
  }
  for (const pid of pids) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

const NET_KEY = Symbol.for('kubeling.testing.clusterSafetyNet');
type NetHolder = typeof process & { [NET_KEY]?: Set<NetEntry> };

/** One set of live clusters per process, and one set of exit hooks however often this module loads. */
function safetyNet(): Set<NetEntry> {
  const holder = process as NetHolder;
  let set = holder[NET_KEY];
  if (set) return set;
  const live = new Set<NetEntry>();
  set = live;
  holder[NET_KEY] = live;
  const killAll = (): void => {
    for (const e of live) {
      killClusterProcesses(e);
      fs.rmSync(e.home, { recursive: true, force: true });
    }
    live.clear();
  };
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killAll();
      // Re-raise with the default action, so the process still dies of the signal.
      process.kill(process.pid, signal);
    });
  }
  return live;
}
