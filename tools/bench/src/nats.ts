/**
 * The NATS API benchmark: what the api-server adds over raw NATS, measured in one run on one
 * machine (loopback), each figure beside its raw-NATS baseline.
 *
 *   npx nx run bench:nats                               # starts its own api-server on a scratch cluster
 *   node --import tsx tools/bench/src/nats.ts --cluster dev --seconds 4 --watchers 100
 *
 * Phases:
 *   1. request/reply latency, one request at a time: a trivial responder that answers with a
 *      payload the size of a pod (raw), then GET of a pod over NATS (api); p50/p99 and ratios;
 *   2. the same at --concurrency requests in flight: requests/s and ratio;
 *   3. watch fan-out to --watchers filtered watchers (ConfigMaps, each watcher selects its own
 *      `shard` label, as a kubelet selects its node's pods): live — writers create ConfigMaps
 *      over NATS for --seconds, events/s delivered and write→event latency p50/p99; raw — the
 *      same number of messages of the same size published on --watchers subjects with one
 *      subscriber each, messages/s delivered; replay — as many fresh watchers resume from
 *      before the writes and catch up from the change log (bounded to 2.5 × --seconds),
 *      events/s delivered.
 * The whole run stays under a minute with the defaults (4 s per phase).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { NatsConnection } from 'nats';
import { connect } from 'nats';
import type { ApiRequestMessage, ApiSubjects, WatchStream } from '@kubeling/bus';
import { apiRequest, apiSubjects, encode, openWatch, serve } from '@kubeling/bus';
import { clusterPrefix, deleteKeysWithPrefix } from '@kubeling/store';
import Redis from 'ioredis';

export interface NatsBenchOptions {
  /** Use this running cluster instead of starting an api-server. */
  cluster?: string;
  redisUrl: string;
  natsUrl: string;
  seconds: number;
  concurrency: number;
  watchers: number;
}

export interface Latency {
  count: number;
  perSecond: number;
  p50: number;
  p99: number;
}

export interface NatsBenchResult {
  rawLatency: Latency;
  getLatency: Latency;
  rawThroughput: Latency;
  getThroughput: Latency;
  fanout: {
    watchers: number;
    writesPerSecond: number;
    liveEventsPerSecond: number;
    liveLatency: { p50: number; p99: number };
    replayEventsPerSecond: number;
    rawMessagesPerSecond: number;
    misdelivered: number;
  };
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

function summarize(latencies: number[], seconds: number): Latency {
  const s = [...latencies].sort((x, y) => x - y);
  return {
    count: s.length,
    perSecond: s.length / seconds,
    p50: percentile(s, 50),
    p99: percentile(s, 99),
  };
}

/** `concurrency` loops calling `op` until `seconds` pass; returns each call's latency in ms. */
async function closedLoop(
  concurrency: number,
  seconds: number,
  op: (i: number) => Promise<unknown>,
): Promise<number[]> {
  const until = performance.now() + seconds * 1000;
  const out: number[] = [];
  let i = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const t = performance.now();
        await op(i++);
        out.push(performance.now() - t);
      }
    }),
  );
  return out;
}

async function startApiServer(cluster: string, opts: NatsBenchOptions): Promise<ChildProcess> {
  const main = path.join(__dirname, '..', '..', '..', 'apps', 'api-server', 'src', 'main.ts');
  // prettier-ignore
  const child = spawn(process.execPath, [
    '--import', 'tsx', main, '--cluster-name', cluster, '--port', '0', '--id', 'bench',
    '--redis-url', opts.redisUrl, '--nats-url', opts.natsUrl,
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (log += d));
  const end = Date.now() + 30_000;
  for (;;) {
    const url = /"serving" url="([^"]+)"/.exec(log)?.[1];
    if (
      url &&
      (await fetch(`${url}/readyz`).then(
        (r) => r.status,
        () => 0,
      )) === 200
    )
      return child;
    if (child.exitCode !== null || Date.now() > end) {
      child.kill('SIGKILL');
      throw new Error(`api-server did not become ready:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

const cms = (namespace: string) => ({
  group: '',
  version: 'v1',
  resource: 'configmaps',
  namespace,
});

/** A pod as `kubectl run` makes it, for GETs of a realistic size. */
const pod = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels: { app: 'bench', tier: 'web' } },
  spec: {
    containers: [
      {
        name: 'web',
        image: 'nginx:1.25',
        ports: [{ containerPort: 80, name: 'http' }],
        resources: { requests: { cpu: '100m', memory: '128Mi' } },
      },
    ],
  },
});

async function fanout(
  nc: NatsConnection,
  writer: NatsConnection,
  subjects: ApiSubjects,
  ns: string,
  opts: NatsBenchOptions,
  log: (line: string) => void,
): Promise<NatsBenchResult['fanout']> {
  const W = opts.watchers;
  const call = (req: Omit<ApiRequestMessage, 'v'>) =>
    apiRequest<{ metadata: { resourceVersion: string } }>(writer, subjects, req);
  const rv0 = (await call({ ...cms(ns), verb: 'list' })).body.metadata.resourceVersion;
  let misdelivered = 0;

  // Live: W watchers, writers create ConfigMaps round-robin over the shards.
  const sentAt = new Map<string, number>();
  const liveLat: number[] = [];
  let liveDelivered = 0;
  const streams: WatchStream[] = [];
  for (let w = 0; w < W; w++)
    streams.push(
      await openWatch(nc, {
        subjects,
        request: { ...cms(ns), query: { labelSelector: `shard=s${w}`, resourceVersion: rv0 } },
        onEvent: (ev) => {
          if (ev.type !== 'ADDED') return;
          const o = ev.object as { metadata: { name: string; labels: Record<string, string> } };
          if (o.metadata.labels['shard'] !== `s${w}`) misdelivered++;
          liveDelivered++;
          const t = sentAt.get(o.metadata.name);
          if (t !== undefined) liveLat.push(performance.now() - t);
        },
      }),
    );
  const writeStart = performance.now();
  const writeLat = await closedLoop(opts.concurrency, opts.seconds, async (i) => {
    const name = `cm-${i}`;
    sentAt.set(name, performance.now());
    await call({
      ...cms(ns),
      verb: 'create',
      body: { metadata: { name, labels: { shard: `s${i % W}` } }, data: { i: String(i) } },
    });
  });
  const written = writeLat.length;
  while (liveDelivered < written && performance.now() - writeStart < (opts.seconds + 20) * 1000)
    await new Promise((r) => setTimeout(r, 5));
  const liveSeconds = (performance.now() - writeStart) / 1000;
  for (const s of streams) s.stop();
  const lat = summarize(liveLat, liveSeconds);
  const writesPerSecond = written / opts.seconds;
  const liveEventsPerSecond = liveDelivered / liveSeconds;
  log(
    `watch live   ${W} watchers  ${writesPerSecond.toFixed(0).padStart(7)} writes/s  ${liveEventsPerSecond.toFixed(0).padStart(7)} events/s delivered  write→event p50 ${lat.p50.toFixed(1)} ms  p99 ${lat.p99.toFixed(1)} ms`,
  );

  // Raw: the same number of messages, the size of a watch event, on W subjects.
  const sample = encode({
    seq: 1,
    type: 'ADDED',
    object: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'cm-12345',
        namespace: ns,
        uid: randomBytes(16).toString('hex'),
        resourceVersion: '123456',
        creationTimestamp: new Date().toISOString(),
        labels: { shard: 's42' },
      },
      data: { i: '12345' },
    },
  });
  const base = `bench.raw.${randomBytes(4).toString('hex')}`;
  let received = 0;
  const subs = Array.from({ length: W }, (_x, w) =>
    nc.subscribe(`${base}.${w}`, { callback: () => void received++ }),
  );
  await nc.flush();
  const rawStart = performance.now();
  for (let i = 0; i < written; i++) {
    writer.publish(`${base}.${i % W}`, sample);
    if (i % 1000 === 999) await writer.flush();
  }
  await writer.flush();
  while (received < written && performance.now() - rawStart < 30_000)
    await new Promise((r) => setImmediate(r));
  const rawMessagesPerSecond = received / ((performance.now() - rawStart) / 1000);
  for (const s of subs) s.unsubscribe();
  log(
    `raw fan-out  ${W} subjects  ${received} messages: ${rawMessagesPerSecond.toFixed(0)} messages/s delivered`,
  );

  // Replay: W fresh watchers from before the writes catch up from the change log at once. Last:
  // a watch stopped during its catch-up keeps reading the log until the catch-up ends.
  let replayed = 0;
  const replayStart = performance.now();
  const replay: WatchStream[] = [];
  for (let w = 0; w < W; w++)
    replay.push(
      await openWatch(nc, {
        subjects,
        request: { ...cms(ns), query: { labelSelector: `shard=s${w}`, resourceVersion: rv0 } },
        onEvent: (ev) => {
          if (ev.type === 'ADDED') replayed++;
        },
        requestTimeoutMs: 60_000,
      }),
    );
  // Bounded: the catch-up cost grows with watchers × log length (each watcher reads the log).
  const replayLimitMs = Math.max(5, opts.seconds * 2.5) * 1000;
  while (replayed < written && performance.now() - replayStart < replayLimitMs)
    await new Promise((r) => setTimeout(r, 5));
  const replaySeconds = (performance.now() - replayStart) / 1000;
  for (const s of replay) s.stop();
  const replayEventsPerSecond = replayed / replaySeconds;
  log(
    `watch replay ${W} watchers  ${replayed} of ${written} events in ${replaySeconds.toFixed(2)} s: ${replayEventsPerSecond.toFixed(0)} events/s delivered`,
  );

  return {
    watchers: W,
    writesPerSecond,
    liveEventsPerSecond,
    liveLatency: { p50: lat.p50, p99: lat.p99 },
    replayEventsPerSecond,
    rawMessagesPerSecond,
    misdelivered,
  };
}

export async function runNatsBench(
  opts: NatsBenchOptions,
  log: (line: string) => void = console.log,
): Promise<NatsBenchResult> {
  const cluster = opts.cluster ?? `bench-nats-${randomBytes(4).toString('hex')}`;
  let child: ChildProcess | undefined;
  const redis = new Redis(opts.redisUrl, { lazyConnect: true });
  const nc = await connect({ servers: opts.natsUrl, name: 'bench-client' });
  const writer = await connect({ servers: opts.natsUrl, name: 'bench-writer' });
  const responderNc = await connect({ servers: opts.natsUrl, name: 'bench-raw-responder' });
  try {
    if (!opts.cluster) child = await startApiServer(cluster, opts);
    const subjects = apiSubjects(cluster);
    const ns = `bench-${randomBytes(3).toString('hex')}`;
    const call = (req: Omit<ApiRequestMessage, 'v'>) => apiRequest(nc, subjects, req);
    await call({
      group: '',
      version: 'v1',
      resource: 'namespaces',
      verb: 'create',
      body: { metadata: { name: ns } },
    });
    const pods = { group: '', version: 'v1', resource: 'pods', namespace: ns };
    await call({ ...pods, verb: 'create', body: pod('web') });
    const getReply = encode(await call({ ...pods, verb: 'get', name: 'web' }));

    // The trivial responder answers with a reply exactly as large as the api-server's.
    const raw = await serve(
      responderNc,
      `bench.rr.${randomBytes(4).toString('hex')}`,
      'bench',
      () => JSON.parse(new TextDecoder().decode(getReply)) as unknown,
    );
    const rawCall = () =>
      apiRequest(nc, { request: raw.subject }, { ...pods, verb: 'get', name: 'web' });
    const getCall = () => call({ ...pods, verb: 'get', name: 'web' });
    log(`cluster ${cluster}; reply ${getReply.length} bytes; ${opts.seconds} s per phase`);

    for (let i = 0; i < 200; i++) await Promise.all([rawCall(), getCall()]); // warm up (JIT)
    const rawLatency = summarize(await closedLoop(1, opts.seconds, rawCall), opts.seconds);
    const getLatency = summarize(await closedLoop(1, opts.seconds, getCall), opts.seconds);
    log(
      `raw request/reply  1 in flight  p50 ${rawLatency.p50.toFixed(3)} ms  p99 ${rawLatency.p99.toFixed(3)} ms  ${rawLatency.perSecond.toFixed(0)} req/s`,
    );
    log(
      `GET over NATS      1 in flight  p50 ${getLatency.p50.toFixed(3)} ms  p99 ${getLatency.p99.toFixed(3)} ms  ${getLatency.perSecond.toFixed(0)} req/s`,
    );
    log(
      `  ratio GET/raw: p50 ×${(getLatency.p50 / rawLatency.p50).toFixed(1)}  p99 ×${(getLatency.p99 / rawLatency.p99).toFixed(1)}`,
    );

    const C = opts.concurrency;
    const rawThroughput = summarize(await closedLoop(C, opts.seconds, rawCall), opts.seconds);
    const getThroughput = summarize(await closedLoop(C, opts.seconds, getCall), opts.seconds);
    log(
      `raw request/reply  ${C} in flight  ${rawThroughput.perSecond.toFixed(0).padStart(7)} req/s  p50 ${rawThroughput.p50.toFixed(2)} ms  p99 ${rawThroughput.p99.toFixed(2)} ms`,
    );
    log(
      `GET over NATS      ${C} in flight  ${getThroughput.perSecond.toFixed(0).padStart(7)} req/s  p50 ${getThroughput.p50.toFixed(2)} ms  p99 ${getThroughput.p99.toFixed(2)} ms`,
    );
    log(
      `  ratio GET/raw throughput: ${((getThroughput.perSecond / rawThroughput.perSecond) * 100).toFixed(1)}%`,
    );
    await raw.drain();

    const fan = await fanout(nc, writer, subjects, ns, opts, log);
    log(
      `  ratio live events/raw messages: ${((fan.liveEventsPerSecond / fan.rawMessagesPerSecond) * 100).toFixed(2)}%;  replay/raw: ${((fan.replayEventsPerSecond / fan.rawMessagesPerSecond) * 100).toFixed(1)}%;  misdelivered events: ${fan.misdelivered}`,
    );
    return { rawLatency, getLatency, rawThroughput, getThroughput, fanout: fan };
  } finally {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await Promise.all([nc.close(), writer.close(), responderNc.close()]);
    if (!opts.cluster) {
      await redis.connect();
      await deleteKeysWithPrefix(redis, clusterPrefix(cluster));
    }
    redis.disconnect();
  }
}

if (require.main === module) {
  const { values } = parseArgs({
    options: {
      cluster: { type: 'string' },
      seconds: { type: 'string', default: '4' },
      concurrency: { type: 'string', default: '16' },
      watchers: { type: 'string', default: '100' },
    },
  });
  const opts: NatsBenchOptions = {
    redisUrl: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
    natsUrl: process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222',
    seconds: Number(values.seconds),
    concurrency: Number(values.concurrency),
    watchers: Number(values.watchers),
  };
  if (values.cluster) opts.cluster = values.cluster;
  runNatsBench(opts).then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
