/**
 * Prometheus metrics with the upstream names and labels kube-apiserver exposes, through
 * prom-client on the replica's registry, so dashboards and coursework built for Kubernetes read
 * kubeling too: apiserver_request_total, apiserver_request_duration_seconds,
 * apiserver_longrunning_requests, apiserver_current_inflight_requests, and the watch cache's
 * apiserver_watch_cache_* / apiserver_cache_list_* series. The registry also carries the
 * process/nodejs metrics.
 */
import type { Counter, Gauge, Histogram, Registry } from '@kubeling/runtime';
import { counter, createRegistry, gauge, histogram } from '@kubeling/runtime';
import type { CacherMetrics } from './cacher';

/** apiserver_request_duration_seconds buckets (upstream's). */
const durationBuckets = [
  0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45,
  60,
];

export type RequestLabels = {
  verb: string;
  group: string;
  version: string;
  resource: string;
  subresource: string;
  scope: string;
  component: string;
};

const requestLabelNames = [
  'verb',
  'dry_run',
  'group',
  'version',
  'resource',
  'subresource',
  'scope',
  'component',
] as const;

/** Labels in name order: prom-client writes them in the order given, and sorted reads best. */
function sorted<T extends Record<string, string>>(l: T): T {
  return Object.fromEntries(Object.entries(l).sort(([a], [b]) => (a < b ? -1 : 1))) as T;
}

export class ApiMetrics {
  readonly registry: Registry;
  readonly requests: Counter<(typeof requestLabelNames)[number] | 'code'>;
  readonly duration: Histogram<(typeof requestLabelNames)[number]>;
  private readonly longrunningGauge: Gauge<keyof RequestLabels>;
  private readonly inflightGauge: Gauge<'request_kind'>;
  /** apiserver_current_inflight_requests: +1 / -1 around each request the limiter admits. */
  readonly inflight: { add(labels: { request_kind: string }, n: number): void };
  /** What the watch cache reports (cacher/), under upstream's names. */
  readonly watchCache: CacherMetrics;
  /** apiserver_longrunning_requests: add 1 when a watch starts, -1 when it ends. */
  readonly longrunning: { add(labels: RequestLabels, n: number): void };

  constructor(registry: Registry = createRegistry()) {
    this.registry = registry;
    this.requests = counter(registry, {
      name: 'apiserver_request_total',
      help: 'Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.',
      labelNames: [...requestLabelNames, 'code'],
    });
    this.duration = histogram(registry, {
      name: 'apiserver_request_duration_seconds',
      help: 'Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.',
      labelNames: requestLabelNames,
      buckets: durationBuckets,
    });
    this.longrunningGauge = gauge(registry, {
      name: 'apiserver_longrunning_requests',
      help: 'Gauge of all active long-running apiserver requests broken out by verb, group, version, resource, scope and component. Not all requests are tracked this way.',
      labelNames: ['verb', 'group', 'version', 'resource', 'subresource', 'scope', 'component'],
    });
    this.longrunning = { add: (l, n) => this.longrunningGauge.inc(sorted(l), n) };
    this.inflightGauge = gauge(registry, {
      name: 'apiserver_current_inflight_requests',
      help: 'Maximal number of currently used inflight request limit of this apiserver per request kind in last second.',
      labelNames: ['request_kind'],
    });
    for (const request_kind of ['readOnly', 'mutating'])
      this.inflightGauge.set({ request_kind }, 0);
    this.inflight = { add: (l, n) => this.inflightGauge.inc(l, n) };
    this.watchCache = watchCacheMetrics(registry);
  }

  /**
   * Series bound to their labels, by a cheap key: prom-client hashes a label object on every
   * call (about 15 µs for these), which would cost the busiest request path more than the
   * request itself for a cached GET.
   */
  private readonly series = new Map<
    string,
    { requests: { inc(): void }; duration: { observe(v: number): void } }
  >();

  observe(l: RequestLabels, code: number, dryRun: boolean, seconds: number): void {
    const dry = dryRun ? 'All' : '';
    const key = `${l.verb}|${l.group}|${l.version}|${l.resource}|${l.subresource}|${l.scope}|${l.component}|${code}|${dry}`;
    let s = this.series.get(key);
    if (!s) {
      s = {
        requests: this.requests.labels(sorted({ ...l, code: String(code), dry_run: dry })),
        duration: this.duration.labels(sorted({ ...l, dry_run: dry })),
      };
      this.series.set(key, s);
    }
    s.requests.inc();
    if (l.verb !== 'WATCH') s.duration.observe(seconds);
  }
}

/** The watch cache's series, bound once per resource (a label hash per event would cost more). */
function watchCacheMetrics(registry: Registry): CacherMetrics {
  const initializations = counter(registry, {
    name: 'apiserver_watch_cache_initializations_total',
    help: 'Counter of watch cache initializations broken by resource type.',
    labelNames: ['resource'],
  });
  const received = counter(registry, {
    name: 'apiserver_watch_cache_events_received_total',
    help: 'Counter of events received in watch cache broken by resource type.',
    labelNames: ['resource'],
  });
  const dispatched = counter(registry, {
    name: 'apiserver_watch_cache_events_dispatched_total',
    help: 'Counter of events dispatched in watch cache broken by resource type.',
    labelNames: ['resource'],
  });
  const resourceVersion = gauge(registry, {
    name: 'apiserver_watch_cache_resource_version',
    help: 'Current resource version of watch cache broken by resource type.',
    labelNames: ['resource'],
  });
  const lists = counter(registry, {
    name: 'apiserver_cache_list_total',
    help: 'Number of LIST requests served from watch cache',
    labelNames: ['index', 'resource_prefix'],
  });
  const fetched = counter(registry, {
    name: 'apiserver_cache_list_fetched_objects_total',
    help: 'Number of objects read from watch cache in the course of serving a LIST request',
    labelNames: ['index', 'resource_prefix'],
  });
  const returned = counter(registry, {
    name: 'apiserver_cache_list_returned_objects_total',
    help: 'Number of objects returned for a LIST request from watch cache',
    labelNames: ['resource_prefix'],
  });
  const readWait = histogram(registry, {
    name: 'apiserver_watch_cache_read_wait_seconds',
    help: 'Histogram of time spent waiting for a watch cache to become fresh.',
    labelNames: ['resource'],
    buckets: [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3],
  });
  return {
    initialized: (resource) => initializations.inc({ resource }),
    readWait: (resource, seconds) => readWait.observe({ resource }, seconds),
    observer(resource) {
      const r = { resource };
      const rcv = received.labels(r);
      const dsp = dispatched.labels(r);
      const rv = resourceVersion.labels(r);
      const prefix = `/${resource}`;
      const byIndex = new Map<
        string,
        { lists: { inc(): void }; fetched: { inc(n: number): void } }
      >();
      const ret = returned.labels({ resource_prefix: prefix });
      return {
        applied(n, version) {
          rcv.inc();
          if (n > 0) dsp.inc(n);
          rv.set(version);
        },
        listed(index, f, n) {
          let s = byIndex.get(index);
          if (!s) {
            const l = { index, resource_prefix: prefix };
            s = { lists: lists.labels(l), fetched: fetched.labels(l) };
            byIndex.set(index, s);
          }
          s.lists.inc();
          s.fetched.inc(f);
          ret.inc(n);
        },
      };
    },
  };
}
