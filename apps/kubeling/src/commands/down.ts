/**
 * `kubeling down`: stop every process the cluster recorded (SIGTERM to each process group,
 * SIGKILL after the grace period), delete its Redis keys, remove its state directory.
 * Idempotent like `kind delete cluster`: a cluster that is not there is not an error.
 */
import * as fs from 'node:fs';
import type { CommandContext } from '../context';
import { CliError, errorMessage } from '../errors';
import { deleteClusterKeys } from '../infra';
import { stopProcessGroups } from '../processes';
import { clusterPaths, readClusterState } from '../state';

export async function down(name: string, ctx: CommandContext): Promise<number> {
  const { io } = ctx;
  const paths = clusterPaths(ctx.home, name);
  const state = readClusterState(paths);
  if (!state) {
    // Logs of a failed `up` may remain; nothing else can.
    fs.rmSync(paths.dir, { recursive: true, force: true });
    io.out(`No cluster named "${name}" found; nothing to delete.`);
    return 0;
  }

  io.out(`Deleting cluster "${name}" ...`);
  // Stop in reverse start order (kubelets before the api-server they report to), but all at
  // once: each group gets the same grace period.
  const results = await stopProcessGroups([...state.components].reverse(), {
    graceMs: ctx.stopGraceMs,
  });
  const graceS = Math.round(ctx.stopGraceMs / 1000);
  for (const r of results) {
    const how = {
      gone: 'was not running',
      terminated: 'stopped',
      killed: `killed (still running ${graceS}s after SIGTERM)`,
      survived: 'STILL RUNNING after SIGKILL',
    }[r.outcome];
    io.out(` ${r.outcome === 'survived' ? '✗' : '✓'} ${r.id} (pid ${r.pid}) ${how}`);
  }
  const survivors = results.filter((r) => r.outcome === 'survived');
  if (survivors.length > 0) {
    // Keep cluster.json so a second `down` can try again.
    throw new CliError(
      `could not stop ${survivors.map((r) => `${r.id} (pid ${r.pid})`).join(', ')}`,
    );
  }

  let deleted: number;
  try {
    deleted = await deleteClusterKeys(state.options.redisUrl, name);
  } catch (err) {
    throw new CliError(
      `processes stopped, but the Redis keys of "${name}" could not be deleted: ${errorMessage(err)}`,
      `Run 'kubeling down --name ${name}' again once Redis at ${state.options.redisUrl} is reachable.`,
    );
  }
  fs.rmSync(paths.dir, { recursive: true, force: true });
  io.out(`Deleted cluster "${name}" (${deleted} Redis key(s) removed, ${paths.dir} removed).`);
  return 0;
}
