/**
 * Deadlines against api-server PROCESSES killed -9 under a request, over NATS:
 *   - the acceptance test: candidates elect a leader through two api-server replicas; round
 *     after round, the replica a Lease request of the leader is in flight to is killed with
 *     SIGKILL (frozen first with SIGSTOP, so that the request is known to be in it, then killed)
 *     and replaced, and every other round the leader is also cut off from the bus for longer
 *     than the lease (its requests go unanswered), so leadership changes hands; at no instant
 *     do two candidates act as leader — every acting interval [onStartedLeading, signal
 *     aborted], timed on this process's one clock, is disjoint from every other;
 *   - gets and lists in flight to a killed replica complete through the other one in seconds,
 *     not after the 30 s request timeout.
 */
import { performance } from 'node:perf_hooks';
import type { ConfigMap } from '@kubeling/api';
import { configMapKind } from '@kubeling/api';
import type { ApiRequest, AttemptOptions, Transport } from '@kubeling/client';
import { Client, LeaderElector, NatsTransport } from '@kubeling/client';
import { clusterPrefix } from '@kubeling/store';
import { deleteRedisPrefix, testServices, uniqueName } from '@kubeling/testing';
import type { ApiServerProcess } from './nats-support';
import { spawnApiServer } from './nats-support';

const cluster = uniqueName('natsdl');
const replicas: ApiServerProcess[] = [];
const clients: Client[] = [];

beforeAll(async () => {
  replicas.push(
    ...(await Promise.all([spawnApiServer(cluster, 'api-0'), spawnApiServer(cluster, 'api-1')])),
  );
}, 60_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all(replicas.map((r) => r.stop()));
  await deleteRedisPrefix(testServices().redisUrl, clusterPrefix(cluster));
}, 30_000);

interface InFlight {
  verb: string;
  started: number;
}

/** A NATS transport that shows which attempts are in flight, and the longest one seen. */
async function trackedClient(name: string, heartbeatMs: number) {
  const nats = await NatsTransport.connect({
    cluster,
    natsUrl: testServices().natsUrl,
    name,
    heartbeatMs,
  });
  const inFlight = new Set<InFlight>();
  const stats = { longestMs: 0, attempts: 0, partitioned: false };
  const transport: Transport = {
    async request(req: ApiRequest, opts?: AttemptOptions) {
      const a = { verb: req.verb, started: performance.now() };
      inFlight.add(a);
      stats.attempts++;
      try {
        // Cut off: nothing answers; the attempt ends only when its deadline aborts it.
        if (stats.partitioned)
          return await new Promise<never>((_resolve, reject) =>
            opts?.signal?.addEventListener('abort', () => reject(opts.signal?.reason as Error)),
          );
        return await nats.request(req, opts);
      } finally {
        inFlight.delete(a);
        stats.longestMs = Math.max(stats.longestMs, performance.now() - a.started);
      }
    },
    watch: (req, opts) => nats.watch(req, opts),
    close: () => nats.close(),
  };
  const client = new Client({ transport, qps: 50, burst: 100 });
  clients.push(client);
  return { client, inFlight, stats };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Freezes `victim`, waits until one of `inFlight`'s attempts is stuck in it, then kills it. */
async function killUnder(victim: ApiServerProcess, inFlight: Set<InFlight>): Promise<boolean> {
  victim.child.kill('SIGSTOP');
  // An attempt answered in ms normally; one open for 150 ms is in the frozen replica.
  const deadline = performance.now() + 5000;
  let caught = false;
  while (performance.now() < deadline && !caught) {
    caught = [...inFlight].some((a) => performance.now() - a.started > 150);
    if (!caught) await sleep(10);
  }
  await victim.kill();
  return caught;
}

let spawned = 2;
async function replace(victim: ApiServerProcess): Promise<void> {
  replicas.splice(replicas.indexOf(victim), 1);
  replicas.push(await spawnApiServer(cluster, `api-${spawned++}`));
}

it('never has two candidates acting as leader while the replicas they talk to are killed -9', async () => {
  const started = performance.now();
  const LEASE = 3000;
  const RENEW = 2000;
  const RETRY = 400;
  const ROUNDS = 4;
  interface Interval {
    who: string;
    start: number;
    stop?: number;
  }
  const intervals: Interval[] = [];
  const acting = new Map<string, Interval>();
  const stop = new AbortController();
  const candidates = await Promise.all(
    ['cand-a', 'cand-b', 'cand-c'].map(async (who) => {
      const { client, inFlight, stats } = await trackedClient(who, 200);
      const loop = (async () => {
        // A candidate that lost leadership campaigns again (a component would restart).
        while (!stop.signal.aborted) {
          const elector = new LeaderElector({
            client,
            identity: who,
            leaseNamespace: 'kube-system',
            leaseName: 'e2e-deadlines',
            leaseDurationMs: LEASE,
            renewDeadlineMs: RENEW,
            retryPeriodMs: RETRY,
            onError: () => undefined,
            onStartedLeading: (signal) => {
              const iv: Interval = { who, start: performance.now() };
              intervals.push(iv);
              acting.set(who, iv);
              signal.addEventListener('abort', () => {
                iv.stop = performance.now();
                acting.delete(who);
              });
            },
          });
          await elector.run(stop.signal);
        }
      })();
      return { who, inFlight, stats, loop };
    }),
  );

  const leader = async () => {
    for (let i = 0; i < 200; i++) {
      const [who] = [...acting.keys()];
      if (who) return candidates.find((c) => c.who === who)!;
      await sleep(50);
    }
    throw new Error('no leader within 10 s');
  };

  let caught = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const l = await leader();
    const victim = replicas[round % 2]!;
    if (await killUnder(victim, l.inFlight)) caught++;
    if (round % 2 === 1) {
      // The leader loses the bus too: it must stop before a standby may start.
      // Long enough for a standby to see the Lease expire (lease duration after its last
      // renewal, plus up to a jittered retry period to notice and one to act).
      l.stats.partitioned = true;
      setTimeout(() => (l.stats.partitioned = false), LEASE + 2.2 * RETRY * 2 + 500);
    }
    await replace(victim);
    await sleep(500);
  }
  // Leadership resumes after the last round.
  await leader();
  stop.abort();
  await Promise.all(candidates.map((c) => c.loop));
  const end = performance.now();

  const closed = intervals.map((iv) => ({ ...iv, stop: iv.stop ?? end }));
  closed.sort((x, y) => x.start - y.start);
  const overlaps: string[] = [];
  for (let i = 1; i < closed.length; i++) {
    const prev = closed[i - 1]!;
    const cur = closed[i]!;
    if (cur.start < prev.stop)
      overlaps.push(
        `${cur.who} started ${(prev.stop - cur.start).toFixed(1)} ms before ${prev.who} stopped`,
      );
  }
  expect(overlaps).toEqual([]);
  // Leadership changed hands at least once per partition.
  expect(closed.length).toBeGreaterThanOrEqual(1 + ROUNDS / 2);
  expect(new Set(closed.map((iv) => iv.who)).size).toBeGreaterThanOrEqual(2);
  // Most rounds killed the replica while a Lease request of the leader was in flight to it.
  expect(caught).toBeGreaterThanOrEqual(ROUNDS - 1);
  // No attempt waited for a request timeout: a lost one ends after 3 heartbeats (600 ms).
  for (const c of candidates) expect(c.stats.longestMs).toBeLessThan(RENEW + 100);
  const took = end - started;
  expect(took).toBeLessThan(60_000);
  const gaps = closed.slice(1).map((iv, i) => iv.start - closed[i]!.stop);
  console.log(
    `${ROUNDS} kills (${caught} under a leader's request) in ${took.toFixed(0)} ms; ` +
      `smallest gap between two leaders ${Math.min(...gaps).toFixed(0)} ms; ` +
      `${closed.length} acting intervals: ` +
      closed.map((iv) => `${iv.who} ${(iv.stop - iv.start).toFixed(0)}ms`).join(', '),
  );
}, 90_000);

it('gets and lists in flight to a killed replica complete through the other in seconds', async () => {
  // Default heartbeats (1 s): a lost request is noticed after 3 s and sent again.
  const { client, inFlight } = await trackedClient('reader', 1000);
  const cms = client.resource(configMapKind).namespace('default');
  await cms.create({ metadata: { name: 'probe' }, data: { a: '1' } } as ConfigMap);
  const victim = replicas[0]!;
  victim.child.kill('SIGSTOP');
  const t0 = performance.now();
  const calls = Array.from({ length: 16 }, async (_x, i) => {
    const s = performance.now();
    if (i % 2) expect((await cms.get('probe')).data).toEqual({ a: '1' });
    else expect((await cms.list()).items.map((c) => c.metadata.name)).toContain('probe');
    return performance.now() - s;
  });
  // Some of them are in the frozen replica (the queue group picks at random).
  while (![...inFlight].some((a) => performance.now() - a.started > 150)) {
    expect(performance.now() - t0).toBeLessThan(5000);
    await sleep(10);
  }
  await victim.kill();
  const durations = await Promise.all(calls);
  const slowest = Math.max(...durations);
  expect(slowest).toBeGreaterThan(1000); // at least one met the dead replica
  expect(slowest).toBeLessThan(8000); // and did not wait for the 30 s timeout
  await replace(victim);
  console.log(`16 reads, slowest ${slowest.toFixed(0)} ms with a replica killed under them`);
}, 60_000);
