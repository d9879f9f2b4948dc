/**
 * The kubelet benchmark, on a scratch cluster from `kubeling up --nodes 0` with kubelets started
 * beside it:
 *   1. memory per hollow node: the RSS and heap of a sim kubelet hosting 1 node, then one
 *      hosting --nodes (default 1,000), once every node registered and a Lease round passed;
 *      per node = difference / (nodes - 1);
 *   2. pod startup latency: --pods pods (spec.nodeName set, spread over the nodes) created at
 *      --rate per second; latency = from just before each create to the watch event that shows
 *      the pod Running; p50 / p99, for the sim runtime (10 hollow nodes) and the process
 *      runtime (one node; image pause, i.e. real processes).
 *
 *   npx nx run bench:kubelet
 *   node --import tsx tools/bench/src/kubelet.ts --nodes 1000 --pods 200 --rate 100
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Pod } from '@kubeling/api';
import { podKind } from '@kubeling/api';
import { Client, HttpTransport } from '@kubeling/client';
import type { TestCluster } from '@kubeling/testing';
import { startCluster, workspaceRoot } from '@kubeling/testing';

export interface KubeletBenchOptions {
  nodes: number;
  pods: number;
  rate: number;
  processPods: number;
  /** How long each memory sample waits after start (default 12 s: registration and a Lease round). */
  settleMs?: number;
}

export interface LatencyResult {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export interface KubeletBenchResult {
  memory: {
    nodes: number;
    rssOne: number;
    rssMany: number;
    heapOne: number;
    heapMany: number;
    rssPerNode: number;
    heapPerNode: number;
  };
  sim: LatencyResult;
  process: LatencyResult;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

interface Kubelet {
  child: ChildProcess;
  metricsPort: number;
  stop(): Promise<void>;
}

async function startKubelet(cluster: TestCluster, args: string[]): Promise<Kubelet> {
  const metricsPort = await freePort();
  const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'apps/kubelet/src/main.ts',
      '--cluster-name',
      cluster.name,
      '--nats-url',
      natsUrl,
      '--secure-port',
      String(metricsPort),
      '--port',
      '0',
      ...args,
    ],
    { cwd: workspaceRoot(), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      log += d.toString();
      if (log.includes('"kubelet running"')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`kubelet exited ${code}: ${log}`)));
  });
  child.stdout!.resume();
  child.stderr!.resume();
  return {
    child,
    metricsPort,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0) * 1024;
}

async function heapOf(k: Kubelet): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${k.metricsPort}/metrics`)).text();
  const m = /^nodejs_heap_size_used_bytes (\d+(?:\.\d+)?(?:e\+\d+)?)/m.exec(text);
  return Number(m?.[1] ?? 0);
}

/** Containers the process kubelet left (a failed run): their groups, from its pod records. */
function killContainers(root: string): void {
  const podsDir = path.join(root, 'proc-1', 'pods');
  for (const uid of fs.existsSync(podsDir) ? fs.readdirSync(podsDir) : []) {
    try {
      const rec = JSON.parse(fs.readFileSync(path.join(podsDir, uid, 'pod.json'), 'utf8')) as {
        containers: Record<string, { pid: number; id: string }>;
      };
      for (const c of Object.values(rec.containers))
        if (fs.readFileSync(`/proc/${c.pid}/cmdline`, 'utf8').includes(c.id))
          process.kill(-c.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Creates `count` pods at `rate`/s on `nodes`, returns creation-to-Running latencies (ms). */
async function startupLatency(
  client: Client,
  ns: string,
  prefix: string,
  nodes: string[],
  count: number,
  rate: number,
  image: string,
): Promise<LatencyResult> {
  const pods = client.resource(podKind).namespace(ns);
  const sent = new Map<string, number>();
  const latencies: number[] = [];
  const watch = await pods.watch({});
  let resolveAll!: () => void;
  const all = new Promise<void>((r) => (resolveAll = r));
  void (async () => {
    for await (const ev of watch) {
      const p = ev.object as Pod;
      const name = p.metadata?.name ?? '';
      const t0 = sent.get(name);
      if (t0 !== undefined && p.status?.phase === 'Running') {
        latencies.push(performance.now() - t0);
        sent.delete(name);
        if (latencies.length === count) resolveAll();
      }
    }
  })();
  const start = performance.now();
  const creates: Promise<unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const name = `${prefix}-${i}`;
    sent.set(name, performance.now());
    creates.push(
      pods.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name },
        spec: {
          nodeName: nodes[i % nodes.length]!,
          terminationGracePeriodSeconds: 1,
          containers: [{ name: 'c', image }],
        },
      } as Pod),
    );
  }
  await Promise.all(creates);
  await Promise.race([all, new Promise((r) => setTimeout(r, 60_000))]);
  watch.stop();
  latencies.sort((a, b) => a - b);
  // Delete while the kubelet runs (it finishes the deletion), and wait until they are gone.
  await pods.deleteCollection({}).catch(() => undefined);
  const end = Date.now() + 60_000;
  while (Date.now() < end && (await pods.list()).items.length)
    await new Promise((r) => setTimeout(r, 500));
  return {
    count: latencies.length,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? NaN,
  };
}

export async function runKubeletBench(
  o: KubeletBenchOptions,
  out: (line: string) => void = console.log,
): Promise<KubeletBenchResult> {
  const cluster = await startCluster({ nodes: 0 });
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeling-kubelet-bench-'));
  const client = new Client({ transport: new HttpTransport({ server: cluster.server }), qps: 0 });
  try {
    let memory = {
      nodes: o.nodes,
      rssOne: 0,
      rssMany: 0,
      heapOne: 0,
      heapMany: 0,
      rssPerNode: 0,
      heapPerNode: 0,
    };
    if (o.nodes > 1) {
      out(`memory: a sim kubelet with 1 node, then with ${o.nodes}`);
      const one = await startKubelet(cluster, [
        '--runtime',
        'sim',
        '--nodes',
        '1',
        '--node-name',
        'one-{n}',
      ]);
      await new Promise((r) => setTimeout(r, o.settleMs ?? 12_000));
      const rssOne = rssOf(one.child.pid!);
      const heapOne = await heapOf(one);
      await one.stop();
      const many = await startKubelet(cluster, [
        '--runtime',
        'sim',
        '--nodes',
        String(o.nodes),
        '--node-name',
        'hollow-{n}',
      ]);
      await new Promise((r) => setTimeout(r, o.settleMs ?? 12_000));
      const rssMany = rssOf(many.child.pid!);
      const heapMany = await heapOf(many);
      memory = {
        nodes: o.nodes,
        rssOne,
        rssMany,
        heapOne,
        heapMany,
        rssPerNode: (rssMany - rssOne) / Math.max(1, o.nodes - 1),
        heapPerNode: (heapMany - heapOne) / Math.max(1, o.nodes - 1),
      };
      out(
        `  1 node: RSS ${(rssOne / 2 ** 20).toFixed(1)} MiB, heap ${(heapOne / 2 ** 20).toFixed(1)} MiB; ${o.nodes} nodes: RSS ${(rssMany / 2 ** 20).toFixed(1)} MiB, heap ${(heapMany / 2 ** 20).toFixed(1)} MiB`,
      );
      out(
        `  per hollow node: RSS ${(memory.rssPerNode / 1024).toFixed(1)} KiB, heap ${(memory.heapPerNode / 1024).toFixed(1)} KiB (target <= 100 KB)`,
      );
      await many.stop();
    }

    out(`startup latency, sim: ${o.pods} pods at ${o.rate}/s on 10 hollow nodes`);
    const simK = await startKubelet(cluster, [
      '--runtime',
      'sim',
      '--nodes',
      '10',
      '--node-name',
      'lat-{n}',
    ]);
    const sim = await startupLatency(
      client,
      'default',
      'sim',
      Array.from({ length: 10 }, (_, i) => `lat-${i + 1}`),
      o.pods,
      o.rate,
      'nginx',
    );
    out(
      `  ${sim.count}/${o.pods} Running; p50 ${sim.p50.toFixed(0)} ms, p99 ${sim.p99.toFixed(0)} ms, max ${sim.max.toFixed(0)} ms`,
    );
    await simK.stop();

    out(`startup latency, process: ${o.processPods} pods (image pause) at ${o.rate}/s on one node`);
    const procK = await startKubelet(cluster, [
      '--runtime',
      'process',
      '--node-name',
      'proc-1',
      '--node-index',
      '200',
      '--root-dir',
      root,
    ]);
    const proc = await startupLatency(
      client,
      'default',
      'proc',
      ['proc-1'],
      o.processPods,
      o.rate,
      'pause',
    );
    out(
      `  ${proc.count}/${o.processPods} Running; p50 ${proc.p50.toFixed(0)} ms, p99 ${proc.p99.toFixed(0)} ms, max ${proc.max.toFixed(0)} ms`,
    );
    await procK.stop();
    return { memory, sim, process: proc };
  } finally {
    await client.close();
    await cluster.down();
    killContainers(root);
    fs.rmSync(root, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const { values } = parseArgs({
    options: {
      nodes: { type: 'string', default: '1000' },
      pods: { type: 'string', default: '200' },
      'process-pods': { type: 'string', default: '100' },
      rate: { type: 'string', default: '100' },
    },
  });
  runKubeletBench({
    nodes: Number(values.nodes),
    pods: Number(values.pods),
    processPods: Number(values['process-pods']),
    rate: Number(values.rate),
  }).then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
