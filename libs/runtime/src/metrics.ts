/**
 * Prometheus metrics through prom-client. Each component owns one Registry (not prom-client's
 * global one), so several components in one test process keep their series apart; the
 * process/nodejs default metrics (`process_cpu_seconds_total`, `process_resident_memory_bytes`,
 * `nodejs_eventloop_lag_seconds`...) are registered on it, as Go components expose `process_*`
 * and `go_*`. Metric names and labels are upstream's wherever upstream has the metric.
 *
 *   const registry = createRegistry();
 *   const requests = counter(registry, { name: 'rest_client_requests_total', help: '...', labelNames: ['code', 'method', 'host'] });
 *   requests.inc({ code: '200', method: 'GET', host: 'nats' });
 */
import type { CounterConfiguration, GaugeConfiguration, HistogramConfiguration } from 'prom-client';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export { Counter, Gauge, Histogram, Registry };

export interface RegistryOptions {
  /** Register process_* and nodejs_* metrics (default true). */
  defaultMetrics?: boolean;
}

export function createRegistry(opts: RegistryOptions = {}): Registry {
  const registry = new Registry();
  if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  return registry;
}

/**
 * The registry's metric of this name, created on first use: libraries (the client, leader
 * election) register their metrics on the registry they are handed, and several instances in
 * one component share the series, as client-go's package-level metrics are shared.
 */
export function counter<T extends string>(
  registry: Registry,
  config: Omit<CounterConfiguration<T>, 'registers'>,
): Counter<T> {
  const existing = registry.getSingleMetric(config.name);
  if (existing) return existing as Counter<T>;
  return new Counter<T>({ ...config, registers: [registry] });
}

export function gauge<T extends string>(
  registry: Registry,
  config: Omit<GaugeConfiguration<T>, 'registers'>,
): Gauge<T> {
  const existing = registry.getSingleMetric(config.name);
  if (existing) return existing as Gauge<T>;
  return new Gauge<T>({ ...config, registers: [registry] });
}

export function histogram<T extends string>(
  registry: Registry,
  config: Omit<HistogramConfiguration<T>, 'registers'>,
): Histogram<T> {
  const existing = registry.getSingleMetric(config.name);
  if (existing) return existing as Histogram<T>;
  return new Histogram<T>({ ...config, registers: [registry] });
}
