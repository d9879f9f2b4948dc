/**
 * What a component gets from its logging flags: its logger, its metrics registry (with the
 * process/nodejs defaults) and its health checks. The component serves them with
 * serveEndpoints on its own port, or (the api-server) mounts endpointsHandler on its API port.
 */
import type { Registry } from 'prom-client';
import { HealthChecks } from './healthz';
import type { Logger, LoggerOptions, LoggingFormat } from './logger';
import { createLogger } from './logger';
import { createRegistry } from './metrics';

export interface Observability {
  log: Logger;
  registry: Registry;
  health: HealthChecks;
}

export interface ObservabilityOptions {
  /** Where log lines go; default stderr. */
  destination?: LoggerOptions['destination'];
  /** Register process_* and nodejs_* metrics (default true). */
  defaultMetrics?: boolean;
}

export function createObservability(
  name: string,
  logging: { v: number; loggingFormat: LoggingFormat },
  opts: ObservabilityOptions = {},
): Observability {
  const log = createLogger({
    name,
    verbosity: logging.v,
    format: logging.loggingFormat,
    ...(opts.destination ? { destination: opts.destination } : {}),
  });
  const registry = createRegistry(
    opts.defaultMetrics === undefined ? {} : { defaultMetrics: opts.defaultMetrics },
  );
  return { log, registry, health: new HealthChecks() };
}
