/**
 * @kubeling/runtime — what every kubeling process shares, as Kubernetes components share
 * component-base: flags declared once (typed, validated, `--help` generated), klog-style
 * structured logs through pino, Prometheus metrics through prom-client, and `/metrics`,
 * `/healthz`, `/livez`, `/readyz` on the component's own port. See docs/runtime.md.
 *
 *   const flags = { ...loggingFlags, ...servingFlags(10259), namespace: flag.string({ default: 'kube-system', description: '...' }) };
 *   runMain('my-component', async (signal) => {
 *     const values = parseComponentFlags('my-component', flags, process.argv.slice(2));
 *     const { log, registry, health } = createObservability('my-component', values);
 *     const server = await serveEndpoints({ bindAddress: values.bindAddress, port: values.securePort, registry, health, log });
 *     log.V(2).info('started', { namespace: values.namespace });
 *     await new Promise((r) => signal.addEventListener('abort', r));
 *     health.shutdown();
 *     await server.close();
 *   });
 */
export {
  flag,
  flagGroup,
  parseFlags,
  flagUsages,
  usage,
  camelCase,
  FlagError,
  FlagValueError,
} from './flags';
export type { Flag, FlagSet, FlagValues, CamelCase, Env, ParseOptions, ParseResult } from './flags';
export { parseDuration } from './duration';
export { loggingFlags, servingFlags, ipAddress } from './componentFlags';
export {
  createLogger,
  silentLogger,
  defaultLogger,
  setDefaultLogger,
  klogText,
  loggingFormats,
} from './logger';
export type { Logger, VerboseLogger, Fields, LoggerOptions, LoggingFormat } from './logger';
export {
  createRegistry,
  counter,
  gauge,
  histogram,
  Counter,
  Gauge,
  Histogram,
  Registry,
} from './metrics';
export type { RegistryOptions } from './metrics';
export { HealthChecks } from './healthz';
export type { HealthCheck, HealthEndpoint, HealthReport } from './healthz';
export { endpointsHandler, serveEndpoints } from './server';
export type { EndpointsHandler, EndpointsOptions, EndpointsServer, ServingOptions } from './server';
export { createObservability } from './observability';
export type { Observability, ObservabilityOptions } from './observability';
export { runMain, exitFor, parseComponentFlags, untilAborted, HelpRequested } from './main';
export type { Exit } from './main';
