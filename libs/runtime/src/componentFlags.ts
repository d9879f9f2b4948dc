/**
 * The flags every component shares, with upstream's names, defaults and (shortened)
 * descriptions: klog's `-v` and component-base's `--logging-format`, and the serving flags of
 * the metrics/health port.
 */
import { z } from 'zod';
import type { Flag } from './flags';
import { flag, flagGroup } from './flags';
import { loggingFormats } from './logger';

export const loggingFlags = flagGroup('Logs', {
  v: flag.int({
    short: 'v',
    default: 0,
    min: 0,
    description: 'number for the log level verbosity',
  }),
  'logging-format': flag.enum(loggingFormats, {
    default: 'text',
    description: 'Sets the log format. Permitted formats: "json", "text".',
  }),
});

export const ipAddress = z.string().ip({ message: 'must be an IP address' });

/**
 * `--bind-address` and the port flag of the metrics/health server. Upstream names the port
 * `--secure-port` on kube-scheduler and kube-controller-manager and `--port` on the kubelet;
 * the component chooses. kubeling serves plain HTTP there, and 0 means "a free port the kernel
 * picks" (logged at start-up) rather than upstream's "do not serve", so replicas on one machine
 * never collide.
 */
export function servingFlags<P extends string = 'secure-port'>(
  defaultPort: number,
  portFlag: P = 'secure-port' as P,
): { 'bind-address': Flag<string> } & { [K in P]: Flag<number> } {
  return flagGroup('Secure serving', {
    'bind-address': flag.string({
      default: '127.0.0.1',
      schema: ipAddress,
      description: `The IP address on which to listen for the --${portFlag} port (/metrics, /healthz, /livez, /readyz).`,
    }),
    [portFlag]: flag.int({
      default: defaultPort,
      min: 0,
      max: 65535,
      description:
        'The port on which to serve /metrics, /healthz, /livez and /readyz over plain HTTP. 0 picks a free port.',
    }),
  }) as { 'bind-address': Flag<string> } & { [K in P]: Flag<number> };
}
