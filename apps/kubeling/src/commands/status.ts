/**
 * `kubeling status`: one row per component instance — is its process alive, does it answer its
 * readiness check. Without --name every cluster under KUBELING_HOME is listed with a CLUSTER
 * column first, as `kubectl get -A` adds NAMESPACE. The redis-server and nats-server `up`
 * started for a cluster are rows too, healthy when they answer PING / a client connection.
 */
import type { CommandContext } from '../context';
import { CliError } from '../errors';
import { serverAnswers } from '../localServers';
import { processState } from '../processes';
import { checkReady, logHasLine } from '../readiness';
import type { ClusterState } from '../state';
import { clusterPaths, listClusterNames, readClusterState } from '../state';

export interface StatusRow {
  cluster: string;
  component: string;
  pid: number;
  status: 'running' | 'exited';
  health: 'ok' | 'failing';
  port: string;
}

export async function status(name: string | undefined, ctx: CommandContext): Promise<number> {
  const names = name === undefined ? listClusterNames(ctx.home) : [name];
  const states: ClusterState[] = [];
  for (const n of names) {
    const state = readClusterState(clusterPaths(ctx.home, n));
    if (state) states.push(state);
    else if (name !== undefined)
      throw new CliError(`no cluster named "${name}" (looked in ${ctx.home})`);
  }
  if (states.length === 0) {
    ctx.io.out('No kubeling clusters found.');
    return 0;
  }
  const rows = await statusRows(states);
  const header = ['COMPONENT', 'PID', 'STATUS', 'HEALTH', 'PORT'];
  const cells = rows.map((r) => [r.component, String(r.pid), r.status, r.health, r.port]);
  const all = name === undefined;
  const table = all
    ? [['CLUSTER', ...header], ...rows.map((r, i) => [r.cluster, ...(cells[i] ?? [])])]
    : [header, ...cells];
  for (const line of formatTable(table)) ctx.io.out(line);
  for (const s of states) {
    if (s.phase === 'starting')
      ctx.io.out(`(cluster "${s.name}" is still starting, or its "up" was interrupted)`);
    if (s.phase === 'stopped')
      ctx.io.out(
        `(cluster "${s.name}" is stopped with its data: 'kubeling up --name ${s.name}' starts it again)`,
      );
  }
  return 0;
}

function checkLog(c: ClusterState['components'][number]): boolean {
  return c.readiness.kind === 'stdout' && logHasLine(c.log, c.readiness.line);
}

export async function statusRows(states: readonly ClusterState[]): Promise<StatusRow[]> {
  // Per cluster, its servers first: they started first.
  const jobs = states.flatMap((s) => [
    ...s.servers.map(async (v): Promise<StatusRow> => {
      const running = processState(v.pid, v.startTicks) === 'running';
      return {
        cluster: s.name,
        component: v.name,
        pid: v.pid,
        status: running ? 'running' : 'exited',
        health: running && (await serverAnswers(v)) ? 'ok' : 'failing',
        port: String(v.port),
      };
    }),
    ...s.components.map(async (c): Promise<StatusRow> => {
      const running = processState(c.pid, c.startTicks) === 'running';
      // HEALTH is what the port answers, even for an exited process: someone may be running
      // the component by hand on the same port (docs/kubeling-cli.md, debugging). A ready line
      // in the log of a dead process means nothing.
      const ok =
        c.readiness.kind === 'http' ? await checkReady(c.readiness, c) : running && checkLog(c);
      return {
        cluster: s.name,
        component: c.id,
        pid: c.pid,
        status: running ? 'running' : 'exited',
        health: ok ? 'ok' : 'failing',
        port: c.port === undefined ? '-' : String(c.port),
      };
    }),
  ]);
  return Promise.all(jobs);
}

/** Left-aligned columns separated by three spaces, like kubectl's tables. */
export function formatTable(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd((widths[i] ?? 0) + 3)))
      .join('')
      .trimEnd(),
  );
}
