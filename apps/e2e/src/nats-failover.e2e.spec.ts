/**
 * Two api-server PROCESSES on one Redis, serving the API over NATS:
 *   - a write through one is seen by a NATS watcher served by the other;
 *   - the acceptance test: during a burst of 10,000 writes, the replica a watcher is attached to
 *     is killed with SIGKILL; the watcher re-watches through the other from its last
 *     resourceVersion and ends with exactly the store's state and the complete, ordered,
 *     duplicate-free event sequence (checked against a list and against a replay of the
 *     change log from before the burst).
 */
import type { NatsConnection } from 'nats';
import { connect } from 'nats';
import type { StatusError } from '@kubeling/api';
import { isStatusError } from '@kubeling/api';
import type { ApiRequestMessage, ApiSubjects, WatchEventMessage } from '@kubeling/bus';
import { apiRequest, apiSubjects, openWatch } from '@kubeling/bus';
import { clusterPrefix } from '@kubeling/store';
import { deleteRedisPrefix, testServices, uniqueName } from '@kubeling/testing';
import type { ApiServerProcess, FollowedEvent } from './nats-support';
import { Follower, spawnApiServer } from './nats-support';

const cluster = uniqueName('natsfo');
const flags = ['--nats-watch-bookmark-interval', '0.5', '--nats-watch-expiry', '5'];
let a: ApiServerProcess;
let b: ApiServerProcess;
let watcherNc: NatsConnection;
let writerNc: NatsConnection;
let subjects: ApiSubjects;

beforeAll(async () => {
  [a, b] = await Promise.all([
    spawnApiServer(cluster, 'api-a', flags),
    spawnApiServer(cluster, 'api-b', flags),
  ]);
  const { natsUrl } = testServices();
  watcherNc = await connect({ servers: natsUrl, name: 'e2e-watcher' });
  writerNc = await connect({ servers: natsUrl, name: 'e2e-writers' });
  subjects = apiSubjects(cluster);
}, 60_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await watcherNc?.close();
  await writerNc?.close();
  await deleteRedisPrefix(testServices().redisUrl, clusterPrefix(cluster));
}, 30_000);

const cms = { group: '', version: 'v1', resource: 'configmaps', namespace: 'default' };
const byId = (replica: string) => (replica.startsWith('api-a-') ? a : b);
const other = (p: ApiServerProcess) => (p === a ? b : a);

/* eslint-disable-next-line @typescript-eslint/no-explicit-any */
type Reply = { code: number; body: any };
const call = (req: Omit<ApiRequestMessage, 'v'>, timeoutMs = 5000): Promise<Reply> =>
  apiRequest(writerNc, subjects, req, { timeoutMs }) as Promise<Reply>;

it('a write through one replica reaches a NATS watcher served by the other', async () => {
  // The queue group picks the replica: open watches until one runs on each.
  const seen = new Map<string, string[]>();
  const streams = [];
  while (seen.size < 2) {
    expect(streams.length).toBeLessThan(40);
    const names: string[] = [];
    const s = await openWatch(watcherNc, {
      subjects,
      request: { ...cms, query: { labelSelector: 'probe=yes' } },
      onEvent: (ev: WatchEventMessage) => {
        if (ev.type === 'ADDED')
          names.push((ev.object as { metadata: { name: string } }).metadata.name);
      },
    });
    streams.push(s);
    if (!seen.has(byId(s.replica).id)) seen.set(byId(s.replica).id, names);
  }
  // Through HTTP on api-a: the watcher on api-b must see it (and the one on api-a too).
  const r = await fetch(`${a.url}/api/v1/namespaces/default/configmaps`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ metadata: { name: 'probe', labels: { probe: 'yes' } } }),
  });
  expect(r.status).toBe(201);
  const deadline = Date.now() + 10_000;
  while ([...seen.values()].some((n) => n.length === 0) && Date.now() < deadline)
    await new Promise((res) => setTimeout(res, 20));
  expect(seen.get('api-b')).toEqual(['probe']);
  expect(seen.get('api-a')).toEqual(['probe']);
  for (const s of streams) s.stop();
  await call({ ...cms, verb: 'delete', name: 'probe' });
});

/** The writers' view of a result: StatusErrors that are fine after a retry are absorbed. */
async function write(op: Omit<ApiRequestMessage, 'v'>, stats: { retries: number }): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await call(op, 2000);
      return;
    } catch (e) {
      if (!isStatusError(e)) throw e;
      const err: StatusError = e;
      // A retry of a write the dead replica committed before dying.
      if (attempt > 0 && op.verb === 'create' && err.code === 409) return;
      if (attempt > 0 && op.verb === 'delete' && err.code === 404) return;
      // The replica died under the request (504) or nobody answered for a moment (503).
      if ((err.code === 503 || err.code === 504) && attempt < 10) {
        stats.retries++;
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      throw new Error(`${op.verb} ${op.name ?? ''} failed: ${err.code} ${err.message}`);
    }
  }
}

/** Each writer's sequence: create, update, and every fifth object deleted again. */
function opsFor(writer: number, count: number): Array<Omit<ApiRequestMessage, 'v'>> {
  const ops: Array<Omit<ApiRequestMessage, 'v'>> = [];
  for (let j = 0; ops.length < count; j++) {
    const name = `w${writer}-${j}`;
    const meta = { name, labels: { burst: 'yes' } };
    ops.push({ ...cms, verb: 'create', body: { metadata: meta, data: { n: '0' } } });
    ops.push({
      ...cms,
      verb: 'update',
      name,
      body: { metadata: meta, data: { n: '1', w: String(writer) } },
    });
    if (j % 5 === 4) ops.push({ ...cms, verb: 'delete', name });
  }
  return ops.slice(0, count);
}

it('loses and repeats nothing when the watched replica is killed during 10,000 writes', async () => {
  const started = Date.now();
  const rv0: string = (await call({ ...cms, verb: 'list' })).body.metadata.resourceVersion;
  const follower = new Follower(watcherNc, subjects, cms, rv0, 1000);
  await follower.start();
  const victim = byId(follower.replicas[0]!);
  const survivor = other(victim);

  const WRITERS = 8;
  const TOTAL = 10_000;
  const KILL_AT = 3_000;
  let done = 0;
  const stats = { retries: 0 };
  let killed: Promise<void> | undefined;
  await Promise.all(
    Array.from({ length: WRITERS }, async (_x, w) => {
      for (const op of opsFor(w, TOTAL / WRITERS)) {
        await write(op, stats);
        if (++done === KILL_AT) killed = victim.kill();
      }
    }),
  );
  await killed;
  const burstMs = Date.now() - started;

  const list: Reply = await call({ ...cms, verb: 'list' });
  const finalRV: string = list.body.metadata.resourceVersion;
  await follower.reach(finalRV);
  await follower.stop();

  // Failover happened: the first stream was on the victim, a later one on the survivor.
  expect(follower.replicas.length).toBeGreaterThanOrEqual(2);
  expect(byId(follower.replicas.at(-1)!)).toBe(survivor);
  expect(['replica-gone', 'stale', 'gap']).toContain(follower.closes[0]!.reason);
  expect(follower.problems).toEqual([]);

  // The cache is exactly the store's state.
  type Item = { metadata: { name: string; resourceVersion: string } };
  const expected = new Map<string, string>(
    (list.body.items as Item[]).map((i) => [i.metadata.name, i.metadata.resourceVersion]),
  );
  const cached = new Map([...follower.cache].map(([n, o]) => [n, o.metadata.resourceVersion]));
  expect(cached.size).toBeGreaterThan(3000); // 8 writers × ~568 objects, a fifth deleted
  expect(cached).toEqual(expected);

  // The event sequence is exactly the change log's, from rv0 to the end: replay it through
  // the survivor in one watch and compare event by event.
  const replay: FollowedEvent[] = [];
  let replayRV = rv0;
  const ref = await openWatch(watcherNc, {
    subjects,
    request: { ...cms, query: { resourceVersion: rv0 } },
    onEvent: (ev) => {
      const o = ev.object as Item;
      replayRV = o.metadata.resourceVersion;
      if (ev.type !== 'BOOKMARK')
        replay.push({ type: ev.type, name: o.metadata.name, rv: replayRV });
    },
  });
  while (BigInt(replayRV) < BigInt(finalRV)) await new Promise((r) => setTimeout(r, 20));
  ref.stop();
  expect(replay.length).toBeGreaterThanOrEqual(TOTAL);
  expect(follower.events.length).toBe(replay.length);
  expect(follower.events).toEqual(replay);

  console.log(
    `burst of ${TOTAL} writes (${stats.retries} retried) in ${burstMs} ms; ` +
      `${follower.events.length} events over ${follower.replicas.length} streams ` +
      `(first ended: ${follower.closes[0]!.reason}); whole test ${Date.now() - started} ms`,
  );
}, 90_000);
