/**
 * The controller benchmark: how fast the controller-manager brings up a Deployment and rolls
 * it, measured in one run on one machine.
 *
 *   npx nx run bench:controllers                       # its own cluster (kubeling up)
 *   node --import tsx tools/bench/src/controllers.ts --replicas 2000
 *
 * Phases:
 *   1. a Deployment of --replicas pods: time until all are available;
 *   2. a rolling update of it to another image (maxSurge 25%, maxUnavailable 25%): time until
 *      complete.
 * Throughout, the controller-manager's /metrics is sampled every 500 ms: the sync rate
 * (workqueue_work_duration_seconds_count per controller) and queue depth (workqueue_depth).
 *
 * Until kubelets and the scheduler exist, podReadinessDriver (libs/testing) stands in for them:
 * it binds each pod and marks it Running and Ready at once, so what is measured is the
 * controllers and the API path, not container start-up.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { Deployment } from '@kubeling/api';
import { deploymentKind } from '@kubeling/api';
import { Client, HttpTransport } from '@kubeling/client';
import type { TestCluster } from '@kubeling/testing';
import { PodReadinessDriver, startCluster } from '@kubeling/testing';

export interface ControllersBenchOptions {
  replicas: number;
  /** Sampling interval of /metrics (ms). */
  sampleMs?: number;
  /** Give up a phase after this long (ms). */
  timeoutMs?: number;
}

export interface Sample {
  at: number;
  depth: Record<string, number>;
  syncs: Record<string, number>;
}

export interface PhaseResult {
  seconds: number;
  /** Syncs per second of each controller over the phase. */
  syncRate: Record<string, number>;
  /** The deepest each controller's queue was during the phase. */
  maxDepth: Record<string, number>;
}

export interface ControllersBenchResult {
  replicas: number;
  allAvailable: PhaseResult;
  rollingUpdate: PhaseResult;
  samples: Sample[];
}

/** Reads `metric{name="x"} value` lines of a Prometheus text exposition. */
export function parseByName(text: string, metric: string): Record<string, number> {
  const out: Record<string, number> = {};
  const re = new RegExp(`^${metric}\\{[^}]*name="([^"]+)"[^}]*\\} ([0-9.eE+-]+)$`, 'gm');
  for (const m of text.matchAll(re)) out[m[1]!] = Number(m[2]);
  return out;
}

function phase(samples: Sample[], from: number, to: number): PhaseResult {
  const inside = samples.filter((s) => s.at >= from && s.at <= to);
  const first = inside[0];
  const last = inside[inside.length - 1];
  const seconds = (to - from) / 1000;
  const syncRate: Record<string, number> = {};
  const maxDepth: Record<string, number> = {};
  if (first && last && last.at > first.at)
    for (const [name, n] of Object.entries(last.syncs))
      syncRate[name] = Math.round((n - (first.syncs[name] ?? 0)) / ((last.at - first.at) / 1000));
  for (const s of inside)
    for (const [name, d] of Object.entries(s.depth))
      maxDepth[name] = Math.max(maxDepth[name] ?? 0, d);
  return { seconds, syncRate, maxDepth };
}

function metricsUrlOf(cluster: TestCluster): string {
  const state = JSON.parse(
    fs.readFileSync(path.join(cluster.home, cluster.name, 'cluster.json'), 'utf8'),
  ) as { components: { id: string; port?: number }[] };
  const cm = state.components.find((c) => c.id.startsWith('controller-manager'));
  if (!cm?.port) throw new Error('the cluster runs no controller-manager');
  return `http://127.0.0.1:${cm.port}/metrics`;
}

export async function runControllersBench(
  opts: ControllersBenchOptions,
  log: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): Promise<ControllersBenchResult> {
  const sampleMs = opts.sampleMs ?? 500;
  const timeoutMs = opts.timeoutMs ?? 600_000;
  const cluster = await startCluster({ nodes: 0, controllerManagers: 1 });
  const samples: Sample[] = [];
  let driver: PodReadinessDriver | undefined;
  let sampler: NodeJS.Timeout | undefined;
  try {
    const metricsUrl = metricsUrlOf(cluster);
    const sample = async () => {
      try {
        const text = await (await fetch(metricsUrl)).text();
        samples.push({
          at: Date.now(),
          depth: parseByName(text, 'workqueue_depth'),
          syncs: parseByName(text, 'workqueue_work_duration_seconds_count'),
        });
      } catch {
        // A missed sample is a gap in the series, not a failure.
      }
    };
    sampler = setInterval(() => void sample(), sampleMs);
    driver = await PodReadinessDriver.start({ server: cluster.server });
    const client = new Client({
      transport: new HttpTransport({ server: cluster.server }),
      qps: -1,
    });
    const deployments = client.resource(deploymentKind).namespace('default');
    const until = async (what: string, done: (d: Deployment) => boolean) => {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const d = await deployments.get('bench');
        if (done(d)) return;
        if (Date.now() > end) throw new Error(`timed out: ${what}: ${JSON.stringify(d.status)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const complete = (d: Deployment) =>
      (d.status?.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) &&
      d.status?.updatedReplicas === opts.replicas &&
      d.status?.replicas === opts.replicas &&
      d.status?.availableReplicas === opts.replicas;

    await sample();
    const t0 = Date.now();
    await deployments.create({
      metadata: { name: 'bench' },
      spec: {
        replicas: opts.replicas,
        selector: { matchLabels: { app: 'bench' } },
        template: {
          metadata: { labels: { app: 'bench' } },
          spec: { containers: [{ name: 'c', image: 'nginx:1.24' }] },
        },
      },
    } as unknown as Deployment);
    await until('all available', complete);
    const t1 = Date.now();
    await sample();
    log(`${opts.replicas} replicas available in ${((t1 - t0) / 1000).toFixed(1)} s`);

    await deployments.patch('bench', 'merge', {
      spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } } },
    });
    await until('rolled out', complete);
    const t2 = Date.now();
    await sample();
    log(`rolling update of ${opts.replicas} replicas done in ${((t2 - t1) / 1000).toFixed(1)} s`);

    const result: ControllersBenchResult = {
      replicas: opts.replicas,
      allAvailable: phase(samples, t0, t1),
      rollingUpdate: phase(samples, t1, t2),
      samples,
    };
    for (const [label, p] of [
      ['all available', result.allAvailable],
      ['rolling update', result.rollingUpdate],
    ] as const)
      log(
        `${label}: syncs/s ${JSON.stringify(p.syncRate)}, max queue depth ${JSON.stringify(p.maxDepth)}`,
      );
    return result;
  } finally {
    if (sampler) clearInterval(sampler);
    await driver?.stop();
    await cluster.down();
  }
}

if (require.main === module) {
  const { values } = parseArgs({
    options: {
      replicas: { type: 'string', default: '1000' },
      json: { type: 'boolean', default: false },
    },
  });
  void runControllersBench({ replicas: Number(values.replicas) }).then(
    (r) => {
      if (values.json) process.stdout.write(`${JSON.stringify({ ...r, samples: undefined })}\n`);
      process.exit(0);
    },
    (e: unknown) => {
      process.stderr.write(`${String(e)}\n`);
      process.exit(1);
    },
  );
}
