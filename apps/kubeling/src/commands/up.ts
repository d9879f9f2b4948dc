/**
 * `kubeling up`: start a cluster's components as background processes, wait until each is
 * ready, write cluster.json and the kubeconfig, and return with everything still running.
 * Any failure stops what this run started (like `kind create cluster` deleting its nodes), so
 * a failed `up` leaves no process, no Redis key and no claim on the name — only the logs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PlannedInstance } from '../components';
import { LOCAL_HOST, planCluster } from '../components';
import type { CommandContext } from '../context';
import { CliError, errorMessage } from '../errors';
import type { UpOptions } from '../flags';
import { checkNats, checkRedis, deleteClusterKeys } from '../infra';
import { contextName, renderKubeconfig } from '../kubeconfig';
import { portAllocator } from '../ports';
import { processStartTicks, processState, spawnDetached, stopProcessGroups } from '../processes';
import { checkReady, logTail, waitUntilReady } from '../readiness';
import type { WaitResult } from '../readiness';
import type { ClusterPaths, ClusterState, ComponentRecord } from '../state';
import {
  claimClusterState,
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
  refuseExisting(paths, options.name);
  await checkRedis(options.redisUrl);
  await checkNats(options.natsUrl);
  const stages = await planCluster(options, ctx.components, portAllocator());

  const state: ClusterState = {
    name: options.name,
    phase: 'starting',
    createdAt: new Date().toISOString(),
    options: {
      nodes: options.nodes,
      runtime: options.runtime,
      apiServers: options.apiServers,
      redisUrl: options.redisUrl,
      natsUrl: options.natsUrl,
      ...(options.port === undefined ? {} : { port: options.port }),
    },
    kubeconfig: paths.kubeconfig,
    components: [],
  };
  if (!claimClusterState(paths, state)) refuseExisting(paths, options.name, true);

  // Ctrl-C during `up` must not leave half a cluster behind: the components run in their own
  // process groups, so the terminal's SIGINT does not reach them.
  const abort = new AbortController();
  const onSignal = (): void => abort.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  io.out(`Creating cluster "${options.name}" ...`);
  try {
    for (const stage of stages) {
      // Spawned one by one and recorded at once, so a rollback (or a later `down`) finds them all.
      const started: ComponentRecord[] = [];
      for (const inst of stage) {
        const rec = await start(inst, paths, ctx);
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
    await rollback(state, paths, ctx);
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

/** `kind create cluster` refuses a name that is taken; so do we, naming what to do about it. */
function refuseExisting(paths: ClusterPaths, name: string, force = false): void {
  const existing = readClusterState(paths);
  if (!existing && !force) return;
  const running =
    existing?.components.some((c) => processState(c.pid, c.startTicks) === 'running') ?? true;
  if (running || existing?.phase === 'starting') {
    throw new CliError(
      `failed to create cluster: node(s) already exist for a cluster with the name "${name}"`,
      `Run 'kubeling down --name ${name}' to delete it, or choose another --name.`,
    );
  }
  throw new CliError(
    `failed to create cluster: cluster "${name}" is recorded in ${paths.stateFile} but none of its processes is running`,
    `Run 'kubeling down --name ${name}' first.`,
  );
}

async function start(
  inst: PlannedInstance,
  paths: ClusterPaths,
  ctx: CommandContext,
): Promise<ComponentRecord> {
  const entry = path.resolve(ctx.root, inst.entry);
  if (!fs.existsSync(entry))
    throw new StartFailure(`${inst.id}: entry file ${entry} does not exist`);
  const log = path.join(paths.logs, `${inst.id}.log`);
  const command = [...ctx.runner, entry, ...inst.args];
  fs.appendFileSync(log, `# ${new Date().toISOString()} kubeling up: ${command.join(' ')}\n`);
  const pid = await spawnDetached({ command, cwd: ctx.root, env: ctx.env, logFile: log });
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

function failureMessage(rec: ComponentRecord, result: WaitResult, ctx: CommandContext): string {
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

/** Stops everything this run started and releases the name; the logs stay for the post-mortem. */
async function rollback(
  state: ClusterState,
  paths: ClusterPaths,
  ctx: CommandContext,
): Promise<void> {
  const { io } = ctx;
  const results = await stopProcessGroups(state.components, { graceMs: ctx.stopGraceMs });
  for (const r of results)
    if (r.outcome === 'survived') io.err(`WARNING: ${r.id} (pid ${r.pid}) is still running`);
  try {
    await deleteClusterKeys(state.options.redisUrl, state.name);
  } catch (err) {
    io.err(`WARNING: could not delete the Redis keys of "${state.name}": ${errorMessage(err)}`);
  }
  fs.rmSync(paths.kubeconfig, { force: true });
  fs.rmSync(paths.stateFile, { force: true });
  io.err(`Stopped what was started; logs are kept in ${paths.logs}`);
}
