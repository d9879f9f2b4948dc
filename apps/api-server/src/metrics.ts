/**
 * Prometheus metrics with the upstream names kube-apiserver exposes, so dashboards and
 * coursework built for Kubernetes read kubeling too:
 * apiserver_request_total, apiserver_request_duration_seconds, apiserver_longrunning_requests.
 */

type Labels = Record<string, string>;

/** apiserver_request_duration_seconds buckets (upstream's). */
const durationBuckets = [
  0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45,
  60,
];

function labelKey(l: Labels): string {
  return Object.keys(l)
    .sort()
    .map(
      (k) =>
        `${k}="${(l[k] ?? '').replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`,
    )
    .join(',');
}

class Counter {
  private readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'gauge' = 'counter',
  ) {}
  add(labels: Labels, n = 1): void {
    const k = labelKey(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + n);
  }
  render(): string {
    let out = `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} ${this.type}\n`;
    for (const [k, v] of this.values) out += `${this.name}{${k}} ${v}\n`;
    return out;
  }
}

class Histogram {
  private readonly series = new Map<string, { counts: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: number[],
  ) {}
  observe(labels: Labels, v: number): void {
    const k = labelKey(labels);
    let s = this.series.get(k);
    if (!s) this.series.set(k, (s = { counts: this.buckets.map(() => 0), sum: 0, count: 0 }));
    this.buckets.forEach((b, i) => {
      if (v <= b) s!.counts[i]! += 1;
    });
    s.sum += v;
    s.count += 1;
  }
  render(): string {
    let out = `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} histogram\n`;
    for (const [k, s] of this.series) {
      const sep = k ? ',' : '';
      this.buckets.forEach(
        (b, i) => (out += `${this.name}_bucket{${k}${sep}le="${b}"} ${s.counts[i]}\n`),
      );
      out += `${this.name}_bucket{${k}${sep}le="+Inf"} ${s.count}\n`;
      out += `${this.name}_sum{${k}} ${s.sum}\n${this.name}_count{${k}} ${s.count}\n`;
    }
    return out;
  }
}

export type RequestLabels = {
  verb: string;
  group: string;
  version: string;
  resource: string;
  subresource: string;
  scope: string;
  component: string;
};

export class ApiMetrics {
  readonly requests = new Counter(
    'apiserver_request_total',
    'Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.',
  );
  readonly duration = new Histogram(
    'apiserver_request_duration_seconds',
    'Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.',
    durationBuckets,
  );
  readonly longrunning = new Counter(
    'apiserver_longrunning_requests',
    'Gauge of all active long-running apiserver requests broken out by verb, group, version, resource, scope and component.',
    'gauge',
  );

  readonly inflight = new Counter(
    'apiserver_current_inflight_requests',
    'Requests this apiserver is serving now against its in-flight limits, per request kind (readOnly, mutating).',
    'gauge',
  );

  constructor() {
    for (const request_kind of ['readOnly', 'mutating']) this.inflight.add({ request_kind }, 0);
  }

  observe(l: RequestLabels, code: number, dryRun: boolean, seconds: number): void {
    const dry = dryRun ? 'All' : '';
    this.requests.add({ ...l, code: String(code), dry_run: dry });
    if (l.verb !== 'WATCH') this.duration.observe({ ...l, dry_run: dry }, seconds);
  }

  render(): string {
    return (
      this.requests.render() +
      this.duration.render() +
      this.longrunning.render() +
      this.inflight.render()
    );
  }
}
