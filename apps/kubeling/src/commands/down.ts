/**
 * `kubeling down`: stop every process the cluster recorded (SIGTERM to each process group,
 * SIGKILL after the grace period) — the components first, then the redis-server / nats-server
 * `up` started for them — delete its Redis keys, remove its state directory.
 * Idempotent like `kind delete cluster`: a cluster that is not there is not an error.
 *
 * `--keep-data` stops the same processes but keeps the Redis keys and the state directory (the
 * own Redis's append-only file with it), and marks the cluster stopped; `up` starts it again.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stopKubeletContainers } from '../containers';
import type { CommandContext } from '../context';
import { CliError, errorMessage } from '../errors';
import { deleteClusterKeys } from '../infra';
import type { StopResult, StopTarget } from '../processes';
import { stopProcessGroups } from '../processes';
import { clusterPaths, readClusterState, writeClusterState } from '../state';

export async function down(
  name: string,
  ctx: CommandContext,
  opts: { keepData?: boolean } = {},
): Promise<number> {
  const { io } = ctx;
  const paths = clusterPaths(ctx.home, name);
  const state = readClusterState(paths);
  if (!state) {
    // Logs of a failed `up` may remain; nothing else can.
    fs.rmSync(paths.dir, { recursive: true, force: true });
    io.out(`No cluster named "${name}" found; nothing to delete.`);
    return 0;
  }

  io.out(`${opts.keepData ? 'Stopping' : 'Deleting'} cluster "${name}" ...`);
  // Stop in reverse start order (kubelets before the api-server they report to), but all at
  // once: each group gets the same grace period. The servers go last: an api-server still
  // finishing a write on SIGTERM needs its Redis.
  await stopAll([...state.components].reverse(), ctx);
  // The kubelets' containers are their own process groups (they survive a kubelet restart).
  const containers = stopKubeletContainers(path.join(paths.data, 'kubelet'));
  if (containers > 0) io.out(` ✓ ${containers} container(s) of the nodes stopped`);
  await stopAll(
    state.servers.map((s) => ({ ...s, id: s.name })),
    ctx,
  );

  if (opts.keepData) {
    // The server records stay: they tell the next `up` to start the cluster's own servers again.
    const { server: _server, ...rest } = state;
    writeClusterState(paths, { ...rest, phase: 'stopped', components: [] });
    fs.rmSync(paths.kubeconfig, { force: true });
    io.out(
      `Stopped cluster "${name}"; its data is kept in ${paths.dir}` +
        (state.servers.some((s) => s.name === 'redis-server')
          ? ''
          : ` and in Redis at ${state.options.redisUrl}`) +
        `. Start it again with: kubeling up --name ${name}`,
    );
    return 0;
  }

  // The cluster's own Redis takes the keys with its files; a shared one keeps other clusters'.
  const ownRedis = state.servers.some((s) => s.name === 'redis-server');
  let removed = 'its own Redis files';
  if (!ownRedis) {
    try {
      removed = `${await deleteClusterKeys(state.options.redisUrl, name)} Redis key(s)`;
    } catch (err) {
      throw new CliError(
        `processes stopped, but the Redis keys of "${name}" could not be deleted: ${errorMessage(err)}`,
        `Run 'kubeling down --name ${name}' again once Redis at ${state.options.redisUrl} is reachable.`,
      );
    }
  }
  fs.rmSync(paths.dir, { recursive: true, force: true });
  io.out(`Deleted cluster "${name}" (${removed} removed, ${paths.dir} removed).`);
  return 0;
}

/** Stops the groups and reports each; throws when one survives SIGKILL, keeping cluster.json. */
async function stopAll(targets: readonly StopTarget[], ctx: CommandContext): Promise<void> {
  if (targets.length === 0) return;
  const results: StopResult[] = await stopProcessGroups(targets, { graceMs: ctx.stopGraceMs });
  const graceS = Math.round(ctx.stopGraceMs / 1000);
  for (const r of results) {
    const how = {
      gone: 'was not running',
      terminated: 'stopped',
      killed: `killed (still running ${graceS}s after SIGTERM)`,
      survived: 'STILL RUNNING after SIGKILL',
    }[r.outcome];
    ctx.io.out(` ${r.outcome === 'survived' ? '✗' : '✓'} ${r.id} (pid ${r.pid}) ${how}`);
  }
  const survivors = results.filter((r) => r.outcome === 'survived');
  if (survivors.length > 0) {
    // Keep cluster.json so a second `down` can try again.
    throw new CliError(
      `could not stop ${survivors.map((r) => `${r.id} (pid ${r.pid})`).join(', ')}`,
    );
  }
}
