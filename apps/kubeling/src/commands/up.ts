/**
 * `kubeling up`: start a cluster's components as background processes, wait until each is
 * ready, write cluster.json and the kubeconfig, and return with everything still running.
 * Any failure stops what this run started (like `kind create cluster` deleting its nodes), so
 * a failed `up` leaves no process, no Redis key and no claim on the name — only the logs.
 *
 * Where no Redis or NATS is given or running, the cluster's own redis-server / nats-server are
 * started first (localServers.ts). A cluster stopped by `down --keep-data` is started again on
 * its data; a failure then leaves it stopped as it was.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PlannedInstance } from '../components';
import { LOCAL_HOST, planCluster } from '../components';
import type { CommandContext } from '../context';
import { CliError, errorMessage } from '../errors';
import type { UpOptions } from '../flags';
import { deleteClusterKeys } from '../infra';
import { contextName, renderKubeconfig } from '../kubeconfig';
import type { PlannedServer } from '../localServers';
import {
  SBIN_DIRS,
  binaryDirs,
  defaultUrls,
  resolveBackends,
  serverAnswers,
  startServer,
} from '../localServers';
import { portAllocator } from '../ports';
import { processStartTicks, processState, spawnDetached, stopProcessGroups } from '../processes';
import { checkReady, logTail, waitUntilReady } from '../readiness';
import type { WaitResult } from '../readiness';
import type { ClusterPaths, ClusterState, ComponentRecord, ServerRecord } from '../state';
import {
  claimClusterState,
  claimStoppedClusterState,
  clusterPaths,
  readClusterState,
  writeClusterState,
  writeFileAtomic,
} from '../state';

class StartFailure extends Error {
  constructor(
    message: string,
    readonly log?: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export async function up(options: UpOptions, ctx: CommandContext): Promise<number> {
  const { io } = ctx;
  const paths = clusterPaths(ctx.home, options.name);
  const stopped = refuseExisting(paths, options.name);
  const allocatePort = portAllocator();
  const backends = await resolveBackends({
    cluster: options.name,
    ...(options.redisUrl === undefined ? {} : { redisUrl: options.redisUrl }),
    ...(options.natsUrl === undefined ? {} : { natsUrl: options.natsUrl }),
    previous: stopped?.servers.map((s) => s.name) ?? [],
    ...(stopped
      ? { previousUrls: { redis: stopped.options.redisUrl, nats: stopped.options.natsUrl } }
      : {}),
    defaults: defaultUrls(ctx.env),
    paths,
    binDirs: binaryDirs(ctx.env, ctx.sbinDirs ?? SBIN_DIRS),
    allocatePort,
  });
  const { redisUrl, natsUrl } = backends;
  const stages = await planCluster({ ...options, redisUrl, natsUrl }, ctx.components, allocatePort);
  // Every process gets the URLs through its flags; the environment says the same, so that
  // nothing a component starts falls back to the defaults.
  const env: NodeJS.ProcessEnv = { ...ctx.env, REDIS_URL: redisUrl, NATS_URL: natsUrl };

  const state: ClusterState = {
    name: options.name,
    phase: 'starting',
    createdAt: new Date().toISOString(),
    options: {
      nodes: options.nodes,
      runtime: options.runtime,
      apiServers: options.apiServers,
      controllerManagers: options.controllerManagers,
      redisUrl,
      natsUrl,
      ...(options.port === undefined ? {} : { port: options.port }),
    },
    kubeconfig: paths.kubeconfig,
    components: [],
    servers: [],
  };
  const claimed = stopped
    ? claimStoppedClusterState(paths, state) !== undefined
    : claimClusterState(paths, state);
  if (!claimed) refuseExisting(paths, options.name, true);

  // Ctrl-C during `up` must not leave half a cluster behind: the components run in their own
  // process groups, so the terminal's SIGINT does not reach them.
  const abort = new AbortController();
  const onSignal = (): void => abort.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  io.out(
    stopped
      ? `Starting cluster "${options.name}" again on its kept data ...`
      : `Creating cluster "${options.name}" ...`,
  );
  try {
    await startServers(backends.start, state, paths, ctx, abort.signal);

    for (const stage of stages) {
      // Spawned one by one and recorded at once, so a rollback (or a later `down`) finds them all.
      const started: ComponentRecord[] = [];
      for (const inst of stage) {
        const rec = await start(inst, paths, ctx, env);
        started.push(rec);
        state.components.push(rec);
        writeClusterState(paths, state);
      }
      const results = await Promise.all(
        started.map((rec) =>
          waitUntilReady({
            check: () => checkReady(rec.readiness, rec),
            alive: () => processState(rec.pid, rec.startTicks) === 'running',
            timeoutMs: ctx.readyTimeoutMs,
            signal: abort.signal,
          }),
        ),
      );
      results.forEach((result, i) => {
        const rec = started[i];
        if (rec && result !== 'ready')
          throw new StartFailure(failureMessage(rec, result, ctx), rec.log, exitCodeFor(result));
      });
      for (const rec of started) {
        io.out(
          ` ✓ Started ${rec.id} (pid ${rec.pid}${rec.port === undefined ? '' : `, port ${rec.port}`})`,
        );
      }
    }
  } catch (err) {
    const failure = err instanceof StartFailure ? err : new StartFailure(errorMessage(err));
    io.err(`ERROR: failed to create cluster: ${failure.message}`);
    if (failure.log !== undefined) {
      io.err(`--- last lines of ${failure.log} ---`);
      for (const line of logTail(failure.log)) io.err(line);
      io.err('---');
    }
    const ownRedis = backends.start.some((p) => p.name === 'redis-server');
    await rollback(state, paths, ctx, { stopped, ownRedis });
    return failure.exitCode;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }

  const api = state.components.find((c) => apiServing(stages, c.id) && c.port !== undefined);
  if (api?.port !== undefined) {
    state.server = `http://${LOCAL_HOST}:${api.port}`;
    writeFileAtomic(
      paths.kubeconfig,
      renderKubeconfig({ cluster: options.name, server: state.server }),
    );
  }
  state.phase = 'running';
  writeClusterState(paths, state);

  if (options.nodes > 0) {
    io.out(
      ` • ${options.nodes} node(s) requested (runtime ${options.runtime}): nodes come with the kubelet, ` +
        'which kubeling does not start yet; the count is recorded in cluster.json',
    );
  }
  if (state.server === undefined) return 0;
  io.out(`Set kubectl context to "${contextName(options.name)}" in ${paths.kubeconfig}`);
  io.out('You can now use your cluster with:');
  io.out('');
  io.out(`export KUBECONFIG=${paths.kubeconfig}`);
  io.out('kubectl get ns');
  io.out('');
  io.out(`Stop it with: kubeling down --name ${options.name}`);
  return 0;
}

/**
 * `kind create cluster` refuses a name that is taken; so do we, naming what to do about it.
 * A cluster stopped with its data is not refused: it is returned, to be started again.
 */
function refuseExisting(
  paths: ClusterPaths,
  name: string,
  force = false,
): ClusterState | undefined {
  const existing = readClusterState(paths);
  if (!existing && !force) return undefined;
  if (existing?.phase === 'stopped' && !force) return existing;
  // Under `force` another `up` won the claim, so whatever it recorded is starting.
  const running =
    force ||
    (existing?.components ?? []).some((c) => processState(c.pid, c.startTicks) === 'running');
  if (running || existing?.phase === 'starting') {
    throw new CliError(
      `failed to create cluster: node(s) already exist for a cluster with the name "${name}"`,
      `Run 'kubeling down --name ${name}' to delete it, or choose another --name.`,
    );
  }
  throw new CliError(
    `failed to create cluster: cluster "${name}" is recorded in ${paths.stateFile} but none of its processes is running`,
    `Run 'kubeling down --name ${name}' first (with --keep-data to start it again on its data).`,
  );
}

/**
 * Starts the cluster's own redis-server / nats-server, recording each at once (so a rollback
 * or a later `down` finds it), and waits until they answer.
 */
async function startServers(
  planned: readonly PlannedServer[],
  state: ClusterState,
  paths: ClusterPaths,
  ctx: CommandContext,
  signal: AbortSignal,
): Promise<void> {
  for (const p of planned) {
    state.servers.push(await startServer(p, paths, ctx.env));
    writeClusterState(paths, state);
  }
  const results = await Promise.all(
    state.servers.map((rec) =>
      waitUntilReady({
        check: () => serverAnswers(rec),
        alive: () => processState(rec.pid, rec.startTicks) === 'running',
        timeoutMs: ctx.readyTimeoutMs,
        signal,
      }),
    ),
  );
  results.forEach((result, i) => {
    const rec = state.servers[i];
    if (rec && result !== 'ready')
      throw new StartFailure(
        failureMessage({ id: rec.name, pid: rec.pid }, result, ctx),
        rec.log,
        exitCodeFor(result),
      );
  });
  for (const rec of state.servers)
    ctx.io.out(` ✓ Started ${rec.name} (pid ${rec.pid}, ${rec.url}, files in ${rec.dataDir})`);
}

async function start(
  inst: PlannedInstance,
  paths: ClusterPaths,
  ctx: CommandContext,
  env: NodeJS.ProcessEnv,
): Promise<ComponentRecord> {
  const entry = path.resolve(ctx.root, inst.entry);
  if (!fs.existsSync(entry))
    throw new StartFailure(`${inst.id}: entry file ${entry} does not exist`);
  const log = path.join(paths.logs, `${inst.id}.log`);
  const command = [...ctx.runner, entry, ...inst.args];
  fs.appendFileSync(log, `# ${new Date().toISOString()} kubeling up: ${command.join(' ')}\n`);
  const pid = await spawnDetached({ command, cwd: ctx.root, env, logFile: log });
  const startTicks = processStartTicks(pid);
  return {
    id: inst.id,
    component: inst.component,
    pid,
    ...(inst.port === undefined ? {} : { port: inst.port }),
    log,
    entry,
    ...(startTicks === undefined ? {} : { startTicks }),
    command,
    readiness: inst.readiness,
    startedAt: new Date().toISOString(),
  };
}

function failureMessage(
  rec: { id: string; pid: number },
  result: WaitResult,
  ctx: CommandContext,
): string {
  switch (result) {
    case 'exited':
      return `${rec.id} (pid ${rec.pid}) exited before it was ready`;
    case 'timeout':
      return `${rec.id} (pid ${rec.pid}) was not ready within ${Math.round(ctx.readyTimeoutMs / 1000)}s`;
    default:
      return 'interrupted';
  }
}

function exitCodeFor(result: WaitResult): number {
  return result === 'aborted' ? 130 : 1;
}

function apiServing(stages: PlannedInstance[][], id: string): boolean {
  return stages.some((s) => s.some((i) => i.id === id && i.servesApi));
}

/**
 * Stops everything this run started, components first and then the servers they used. A new
 * cluster releases its name and loses its keys and files; a cluster that was being started
 * again on its kept data goes back to its stopped state. The logs stay for the post-mortem.
 */
async function rollback(
  state: ClusterState,
  paths: ClusterPaths,
  ctx: CommandContext,
  how: { stopped: ClusterState | undefined; ownRedis: boolean },
): Promise<void> {
  const { stopped } = how;
  const { io } = ctx;
  const servers = state.servers.map((s: ServerRecord) => ({ ...s, id: s.name }));
  for (const group of [state.components, servers]) {
    const results = await stopProcessGroups(group, { graceMs: ctx.stopGraceMs });
    for (const r of results)
      if (r.outcome === 'survived') io.err(`WARNING: ${r.id} (pid ${r.pid}) is still running`);
  }
  fs.rmSync(paths.kubeconfig, { force: true });
  if (stopped) {
    writeClusterState(paths, stopped);
    io.err(
      `Stopped what was started; the cluster stays stopped with its data; logs are in ${paths.logs}`,
    );
    return;
  }
  // The cluster's own Redis takes its keys with it: its files go below.
  if (!how.ownRedis) {
    try {
      await deleteClusterKeys(state.options.redisUrl, state.name);
    } catch (err) {
      io.err(`WARNING: could not delete the Redis keys of "${state.name}": ${errorMessage(err)}`);
    }
  }
  fs.rmSync(paths.data, { recursive: true, force: true });
  fs.rmSync(paths.stateFile, { force: true });
  io.err(`Stopped what was started; logs are kept in ${paths.logs}`);
}
