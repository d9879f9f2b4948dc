/**
 * client-go's REST client metrics (k8s.io/client-go/tools/metrics, registered by component-base
 * as `rest_client_*`), with upstream's names, labels and buckets, so the same dashboards read a
 * kubeling component: requests by HTTP status code, method and host; latency by verb (HTTP
 * method) and host. Over NATS `host` is `nats/<cluster>`; a request that got no answer at all
 * counts with code `<error>`, as client-go counts it. The metrics wrap the transport, so each
 * attempt counts, retries included, as each HTTP request does in client-go.
 */
import type { Registry } from '@kubeling/runtime';
import { counter, histogram } from '@kubeling/runtime';
import { isStatusError } from '@kubeling/api';
import type { Transport, Verb } from './transport/types';

export interface ClientMetricsOptions {
  registry: Registry;
  /** The server as the `host` label shows it: `127.0.0.1:6443`, or `nats/<cluster>`. */
  host: string;
}

/** The HTTP method of each verb (watch is a GET). */
const methods: Record<Verb | 'watch', string> = {
  get: 'GET',
  list: 'GET',
  watch: 'GET',
  create: 'POST',
  update: 'PUT',
  patch: 'PATCH',
  delete: 'DELETE',
  deletecollection: 'DELETE',
};

export class RestClientMetrics {
  private readonly requests;
  private readonly latency;

  constructor(private readonly opts: ClientMetricsOptions) {
    this.requests = counter(opts.registry, {
      name: 'rest_client_requests_total',
      help: 'Number of HTTP requests, partitioned by status code, method, and host.',
      labelNames: ['code', 'method', 'host'] as const,
    });
    this.latency = histogram(opts.registry, {
      name: 'rest_client_request_duration_seconds',
      help: 'Request latency in seconds. Broken down by verb, and host.',
      labelNames: ['verb', 'host'] as const,
      buckets: [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60],
    });
  }

  /** Series bound to their labels (prom-client hashes a label object on every call otherwise). */
  private readonly series = new Map<
    string,
    { requests: { inc(): void }; latency: { observe(v: number): void } }
  >();

  private bound(code: string, method: string) {
    const key = `${code} ${method}`;
    let s = this.series.get(key);
    if (!s) {
      const host = this.opts.host;
      s = {
        requests: this.requests.labels({ code, method, host }),
        latency: this.latency.labels({ verb: method, host }),
      };
      this.series.set(key, s);
    }
    return s;
  }

  /** Times `call` and counts its outcome. */
  async observe<T>(
    verb: Verb | 'watch',
    code: (r: T) => number,
    call: () => Promise<T>,
  ): Promise<T> {
    const method = methods[verb];
    const started = performance.now();
    let label = '<error>';
    try {
      const r = await call();
      label = String(code(r));
      return r;
    } catch (e) {
      // A Status the server sent (or a transport failure kubeling reports as one) has a code.
      if (isStatusError(e)) label = String(e.code);
      throw e;
    } finally {
      const bound = this.bound(label, method);
      bound.requests.inc();
      bound.latency.observe((performance.now() - started) / 1000);
    }
  }
}

/** The transport with every request and watch start counted in the rest_client metrics. */
export function meteredTransport(inner: Transport, opts: ClientMetricsOptions): Transport {
  const m = new RestClientMetrics(opts);
  return {
    request: (req, ...rest) =>
      m.observe(
        req.verb,
        (r) => r.code,
        () => inner.request(req, ...rest),
      ),
    watch: (req, ...rest) =>
      m.observe(
        'watch',
        () => 200,
        () => inner.watch(req, ...rest),
      ),
    close: () => inner.close(),
  };
}
