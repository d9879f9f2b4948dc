/**
 * The api benchmark: what the api-server costs over raw Redis, measured in one run on one machine.
 *
 *   npx nx run bench:api                       # starts its own api-server on a scratch cluster
 *   node --import tsx tools/bench/src/api.ts --server http://127.0.0.1:6443 --seconds 10
 *
 * HTTP goes through a lean keep-alive load client (loadClient.ts), as a server is measured with
 * `wrk`: with Node's http client the client, not the api-server, capped the LIST figure.
 *
 * Phases (closed loop at fixed concurrency unless said otherwise):
 *   1. raw Redis SET/s of a pod-sized value, one command per round trip, same concurrency;
 *   2. pod creates/s over HTTP;
 *   3. GET latency p50/p99 of existing pods;
 *   4. LIST latency p50/p99 of a namespace of --list-size pods;
 *   5. open loop at --rate requests/s of PATCH (merge, a label), latency p50/p99: the mutating p99;
 *   6. (own api-server only) a kubelet's list: --node-pods pods (default 30,000) spread over nodes
 *      of 100 pods, written straight to the store (bounded: pipelined, no API path), then
 *      `LIST pods?fieldSelector=spec.nodeName=<node>` across all namespaces against the same
 *      selector on a namespace holding just that node's 100 pods: the ratio says whether the
 *      index works (about 1).
 * Then the ratio creates / Redis SETs and whether the targets are met
 * (creates >= 30% of Redis SET/s; mutating p99 < 50 ms at 1,000 requests/s).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Redis from 'ioredis';
import { clusterPrefix, deleteKeysWithPrefix, Store } from '@kubeling/store';
import { LoadClient } from './loadClient';

export interface BenchOptions {
  server?: string;
  redisUrl: string;
  natsUrl: string;
  concurrency: number;
  seconds: number;
  rate: number;
  listSize: number;
  /** Pods written for the one-node list (0 skips it). */
  nodePods: number;
}

export interface Latency {
  count: number;
  perSecond: number;
  p50: number;
  p99: number;
}

export interface BenchResult {
  redisSetPerSecond: number;
  creates: Latency;
  get: Latency;
  list: Latency;
  patchAtRate: Latency & { targetRate: number };
  createToRedisRatio: number;
  /** LIST of one node's pods by fieldSelector out of `nodePods`, and of a namespace that size. */
  nodeList?: { byNode: Latency; alone: Latency; podsPerNode: number; total: number };
}

/** One lean keep-alive client per server (loadClient.ts): the bench measures the server. */
const clients = new Map<string, LoadClient>();

async function httpCall(
  base: URL,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<number> {
  let client = clients.get(base.origin);
  if (!client) clients.set(base.origin, (client = new LoadClient(base)));
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  const r = await client.request(
    method,
    path,
    payload,
    payload
      ? { 'Content-Type': contentType, Accept: 'application/json' }
      : { Accept: 'application/json' },
  );
  return r.status;
}

function closeClients(): void {
  for (const c of clients.values()) c.close();
  clients.clear();
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

function summarize(latenciesMs: number[], seconds: number): Latency {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return {
    count: sorted.length,
    perSecond: sorted.length / seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
  };
}

/** Runs `op` from `concurrency` loops until `seconds` pass; returns each call's latency (ms). */
async function closedLoop(
  concurrency: number,
  seconds: number,
  op: (i: number) => Promise<void>,
): Promise<number[]> {
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  let n = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        await op(n++);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return latencies;
}

/** Starts calls at a fixed rate regardless of completions (open loop), as a load balancer would. */
async function openLoop(
  rate: number,
  seconds: number,
  op: (i: number) => Promise<void>,
): Promise<number[]> {
  const latencies: number[] = [];
  const total = Math.floor(rate * seconds);
  const start = performance.now();
  const inflight: Array<Promise<void>> = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const t0 = performance.now();
    inflight.push(op(i).then(() => void latencies.push(performance.now() - t0)));
  }
  await Promise.all(inflight);
  return latencies;
}

function pod(name: string, labels: Record<string, string>) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels },
    spec: {
      containers: [
        { name: 'web', image: 'nginxdemos/hello:plain-text', ports: [{ containerPort: 80 }] },
      ],
    },
  };
}

async function must(status: Promise<number>, ok: number[]): Promise<void> {
  const code = await status;
  if (!ok.includes(code)) throw new Error(`unexpected HTTP ${code}`);
}

async function waitReady(base: URL, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await httpCall(base, 'GET', '/readyz')) === 200) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > end) throw new Error('api-server did not become ready');
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function startServer(
  cluster: string,
  opts: BenchOptions,
): Promise<{ base: URL; child: ChildProcess }> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const main = path.join(__dirname, '..', '..', '..', 'apps', 'api-server', 'src', 'main.ts');
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      main,
      '--cluster-name',
      cluster,
      '--port',
      String(port),
      '--redis-url',
      opts.redisUrl,
      '--nats-url',
      opts.natsUrl,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const base = new URL(`http://127.0.0.1:${port}`);
  await waitReady(base, 30_000);
  return { base, child };
}

const PODS_PER_NODE = 100;

/**
 * Phase 6. The pods go straight into the store (its Lua scripts, pipelined 256 at a time), so
 * 30,000 take seconds rather than the minutes the API path would; the api-server's watch cache
 * follows them through the change log like any write. The namespace exists (POSTed by the caller
 * side) so the objects are valid; what the API would add (defaults, managedFields) is irrelevant
 * to what a list costs per object.
 */
async function nodeListPhase(
  base: URL,
  cluster: string,
  opts: BenchOptions,
  ns: string,
  log: (line: string) => void,
): Promise<NonNullable<BenchResult['nodeList']>> {
  const nodes = Math.max(1, Math.floor(opts.nodePods / PODS_PER_NODE));
  const total = nodes * PODS_PER_NODE;
  await must(httpCall(base, 'POST', '/api/v1/namespaces', { metadata: { name: ns } }), [201]);
  await must(
    httpCall(base, 'POST', '/api/v1/namespaces', { metadata: { name: `${ns}-alone` } }),
    [201],
  );
  const store = new Store({
    redisUrl: opts.redisUrl,
    prefix: clusterPrefix(cluster),
    compactIntervalMs: 0,
  });
  const pods = { group: '', resource: 'pods' };
  const boundPod = (namespace: string, name: string, node: string) => ({
    ...pod(name, { app: 'nodes' }),
    metadata: { name, namespace, labels: { app: 'nodes' }, uid: randomBytes(16).toString('hex') },
    spec: { ...pod(name, {}).spec, nodeName: node },
  });
  const t0 = performance.now();
  try {
    for (let i = 0; i < total; i += 256) {
      const batch: Promise<unknown>[] = [];
      for (let j = i; j < Math.min(total, i + 256); j++)
        batch.push(store.create(pods, boundPod(ns, `n-${j}`, `node-${j % nodes}`)));
      await Promise.all(batch);
    }
    for (let j = 0; j < PODS_PER_NODE; j++)
      await store.create(pods, boundPod(`${ns}-alone`, `a-${j}`, 'node-alone'));
  } finally {
    await store.close();
  }
  log(`wrote ${total} pods on ${nodes} nodes in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const S = Math.min(opts.seconds, 5);
  const C = Math.max(1, Math.floor(opts.concurrency / 4));
  // Warm up (the cache follows the writes) and check the answers' sizes once.
  const count = async (p: string) => {
    const r = await fetch(new URL(p, base));
    return ((await r.json()) as { items: unknown[] }).items.length;
  };
  const byNodePath = `/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-${Math.min(7, nodes - 1)}`;
  // The same request against a namespace holding only that node's 100 pods: what the list
  // costs when nothing else is in the way (on the Redis store, a read of just those 100).
  const alonePath = `/api/v1/namespaces/${ns}-alone/pods?fieldSelector=spec.nodeName%3Dnode-alone`;
  if ((await count(byNodePath)) !== PODS_PER_NODE || (await count(alonePath)) !== PODS_PER_NODE)
    throw new Error('node list phase: unexpected list sizes');
  const byNode = summarize(
    await closedLoop(C, S, () => must(httpCall(base, 'GET', byNodePath), [200])),
    S,
  );
  const alone = summarize(
    await closedLoop(C, S, () => must(httpCall(base, 'GET', alonePath), [200])),
    S,
  );
  log(
    `LIST 1 node of ${total} ${byNode.perSecond.toFixed(0).padStart(8)} ops/s  p50 ${byNode.p50.toFixed(1)} ms  p99 ${byNode.p99.toFixed(1)} ms`,
  );
  log(
    `LIST ${PODS_PER_NODE} pods alone   ${alone.perSecond.toFixed(0).padStart(8)} ops/s  p50 ${alone.p50.toFixed(1)} ms  p99 ${alone.p99.toFixed(1)} ms  (one node / alone: ${((byNode.perSecond / alone.perSecond) * 100).toFixed(0)}%)`,
  );
  return { byNode, alone, podsPerNode: PODS_PER_NODE, total };
}

export async function runApiBench(
  opts: BenchOptions,
  log: (line: string) => void = console.log,
): Promise<BenchResult> {
  const cluster = `bench-${randomBytes(4).toString('hex')}`;
  const redis = new Redis(opts.redisUrl);
  let child: ChildProcess | undefined;
  try {
    let base: URL;
    if (opts.server) base = new URL(opts.server);
    else ({ base, child } = await startServer(cluster, opts));
    const ns = `bench-${randomBytes(3).toString('hex')}`;
    await must(httpCall(base, 'POST', '/api/v1/namespaces', { metadata: { name: ns } }), [201]);
    await must(
      httpCall(base, 'POST', '/api/v1/namespaces', { metadata: { name: `${ns}-list` } }),
      [201],
    );
    const C = opts.concurrency;
    const S = opts.seconds;

    // 1. Redis, with a value the size of a stored pod.
    const value = JSON.stringify(pod('x'.repeat(20), { app: 'bench' }));
    const redisKey = `${clusterPrefix(cluster)}raw:`;
    const setLat = await closedLoop(C, S, async (i) => {
      await redis.set(`${redisKey}${i}`, value);
    });
    const redisSetPerSecond = setLat.length / S;
    log(
      `redis SET            ${redisSetPerSecond.toFixed(0).padStart(8)} ops/s  (concurrency ${C})`,
    );

    // 2. creates
    const createLat = await closedLoop(C, S, async (i) => {
      await must(
        httpCall(
          base,
          'POST',
          `/api/v1/namespaces/${ns}/pods`,
          pod(`p-${i}`, { app: 'bench', n: String(i % 10) }),
        ),
        [201],
      );
    });
    const creates = summarize(createLat, S);
    log(
      `pod create           ${creates.perSecond.toFixed(0).padStart(8)} ops/s  p50 ${creates.p50.toFixed(1)} ms  p99 ${creates.p99.toFixed(1)} ms`,
    );

    // 3. GET
    const made = creates.count;
    const getLat = await closedLoop(C, S, async (i) => {
      await must(httpCall(base, 'GET', `/api/v1/namespaces/${ns}/pods/p-${i % made}`), [200]);
    });
    const get = summarize(getLat, S);
    log(
      `pod GET              ${get.perSecond.toFixed(0).padStart(8)} ops/s  p50 ${get.p50.toFixed(1)} ms  p99 ${get.p99.toFixed(1)} ms`,
    );

    // 4. LIST of a namespace holding listSize pods
    await closedLoop(Math.min(C, 16), 3600, async (i) => {
      if (i >= opts.listSize) throw new Error('done');
      await must(
        httpCall(
          base,
          'POST',
          `/api/v1/namespaces/${ns}-list/pods`,
          pod(`l-${i}`, { app: 'list' }),
        ),
        [201],
      );
    }).catch((e: Error) => {
      if (e.message !== 'done') throw e;
    });
    const listLat = await closedLoop(Math.max(1, Math.floor(C / 4)), S, async () => {
      await must(httpCall(base, 'GET', `/api/v1/namespaces/${ns}-list/pods`), [200]);
    });
    const list = summarize(listLat, S);
    log(
      `pod LIST (${opts.listSize})       ${list.perSecond.toFixed(0).padStart(8)} ops/s  p50 ${list.p50.toFixed(1)} ms  p99 ${list.p99.toFixed(1)} ms`,
    );

    // 5. mutating requests at a fixed rate
    const patchLat = await openLoop(opts.rate, S, async (i) => {
      await must(
        httpCall(
          base,
          'PATCH',
          `/api/v1/namespaces/${ns}/pods/p-${i % made}`,
          { metadata: { labels: { touched: String(i) } } },
          'application/merge-patch+json',
        ),
        [200],
      );
    });
    const patchAtRate = { ...summarize(patchLat, S), targetRate: opts.rate };
    log(
      `pod PATCH @${opts.rate}/s     ${patchAtRate.perSecond.toFixed(0).padStart(8)} ops/s  p50 ${patchAtRate.p50.toFixed(1)} ms  p99 ${patchAtRate.p99.toFixed(1)} ms`,
    );

    // 6. one node's pods out of many, by field selector, against a namespace of that size alone
    let nodeList: BenchResult['nodeList'];
    if (!opts.server && opts.nodePods > 0)
      nodeList = await nodeListPhase(base, cluster, opts, `${ns}-nodes`, log);

    const createToRedisRatio = creates.perSecond / redisSetPerSecond;
    log(
      `creates / redis SETs ${(createToRedisRatio * 100).toFixed(1)}%  (target >= 30%: ${createToRedisRatio >= 0.3 ? 'met' : 'NOT met'})`,
    );
    log(
      `mutating p99 at ${opts.rate}/s: ${patchAtRate.p99.toFixed(1)} ms  (target < 50 ms: ${patchAtRate.p99 < 50 ? 'met' : 'NOT met'})`,
    );
    const result: BenchResult = {
      redisSetPerSecond,
      creates,
      get,
      list,
      patchAtRate,
      createToRedisRatio,
    };
    if (nodeList) result.nodeList = nodeList;
    return result;
  } finally {
    child?.kill('SIGTERM');
    await deleteKeysWithPrefix(redis, clusterPrefix(cluster));
    redis.disconnect();
    closeClients();
  }
}

if (require.main === module) {
  const { values } = parseArgs({
    options: {
      server: { type: 'string' },
      concurrency: { type: 'string', default: '32' },
      seconds: { type: 'string', default: '10' },
      rate: { type: 'string', default: '1000' },
      'list-size': { type: 'string', default: '500' },
      'node-pods': { type: 'string', default: '30000' },
    },
  });
  runApiBench({
    server: values.server,
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    natsUrl: process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
    concurrency: Number(values.concurrency),
    seconds: Number(values.seconds),
    rate: Number(values.rate),
    listSize: Number(values['list-size']),
    nodePods: Number(values['node-pods']),
  }).catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
