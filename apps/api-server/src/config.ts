/**
 * api-server flags, declared once with the runtime (libs/runtime): name, type, default and
 * description here, `--help` generated from them, values typed and validated. Each flag has the
 * upstream name where kube-apiserver has one (--bind-address, --service-cluster-ip-range,
 * --service-node-port-range, --min-request-timeout, --max-requests-inflight,
 * --max-mutating-requests-inflight, -v, --logging-format).
 */
import { hostname } from 'node:os';
import { z } from 'zod';
import type { Env, FlagValues } from '@kubeling/runtime';
import { flag, flagGroup, ipAddress, loggingFlags, parseComponentFlags } from '@kubeling/runtime';

const url = (what: string) =>
  z.string().refine((s) => {
    try {
      new URL(s);
      return true;
    } catch {
      return false;
    }
  }, `must be a ${what} URL`);

export const apiServerFlags = {
  ...flagGroup('Generic', {
    'cluster-name': flag.string({
      default: 'kubeling',
      schema: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS-1123 label'),
      description:
        'The cluster this replica serves; Redis keys live under kubeling:<name>:, NATS subjects under kubeling.<name>.',
    }),
    id: flag.string({
      default: () => `${hostname()}-${process.pid}`,
      defaultText: '<hostname>-<pid>',
      description: 'Replica identity in logs and NATS subjects.',
    }),
    'redis-url': flag.string({
      default: (env) => env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      defaultText: '$REDIS_URL or redis://127.0.0.1:6379',
      schema: url('redis://'),
      description: 'The store.',
    }),
    'nats-url': flag.string({
      default: (env) => env.NATS_URL ?? 'nats://127.0.0.1:4222',
      defaultText: '$NATS_URL or nats://127.0.0.1:4222',
      schema: url('nats://'),
      description: 'The bus.',
    }),
    'service-cluster-ip-range': flag.string({
      default: '127.96.0.0/12',
      description:
        "A CIDR IP range from which to assign service cluster IPs; the first address is the kubernetes Service's.",
    }),
    'default-not-ready-toleration-seconds': flag.int({
      default: 300,
      min: 0,
      description:
        'Indicates the tolerationSeconds of the toleration for notReady:NoExecute that is added by default to every pod that does not already have such a toleration.',
    }),
    'default-unreachable-toleration-seconds': flag.int({
      default: 300,
      min: 0,
      description:
        'Indicates the tolerationSeconds of the toleration for unreachable:NoExecute that is added by default to every pod that does not already have such a toleration.',
    }),
    'service-node-port-range': flag.string({
      default: '30000-32767',
      schema: z.string().regex(/^\d+-\d+$/, 'must be a port range such as 30000-32767'),
      description: 'A port range to reserve for services with NodePort visibility.',
    }),
    'min-request-timeout': flag.int({
      default: 1800,
      min: 1,
      description:
        'A watch without timeoutSeconds lasts a random time between this and twice it (seconds).',
    }),
    'max-requests-inflight': flag.int({
      default: 400,
      min: 0,
      description:
        'The maximum number of non-mutating requests in flight at a given time; beyond it the server rejects requests (429). Zero for no limit.',
    }),
    'max-mutating-requests-inflight': flag.int({
      default: 200,
      min: 0,
      description:
        'The maximum number of mutating requests in flight at a given time; beyond it the server rejects requests (429). Zero for no limit.',
    }),
    'log-retention': flag.int({
      default: 100_000,
      min: 1,
      description: 'Change-log entries kept for watch resumption.',
    }),
    'watch-bookmark-interval': flag.float({
      default: 60,
      positive: true,
      description: 'How often watches that allow bookmarks get one (seconds).',
    }),
    'nats-watch-bookmark-interval': flag.float({
      default: 5,
      positive: true,
      description: 'How often NATS watches get a BOOKMARK, their heartbeat (seconds).',
    }),
    'nats-watch-expiry': flag.float({
      default: 30,
      positive: true,
      description: 'A NATS watch not kept alive this long is ended (seconds).',
    }),
  }),
  ...flagGroup('Secure serving', {
    'bind-address': flag.string({
      default: '127.0.0.1',
      schema: ipAddress,
      description: 'The IP address on which to listen for the --port port.',
    }),
    port: flag.int({
      default: 6443,
      min: 0,
      max: 65535,
      description:
        'The port on which to serve the API (plain HTTP), /metrics, /healthz, /livez and /readyz. 0 picks a free port.',
    }),
  }),
  ...loggingFlags,
};

export type Config = FlagValues<typeof apiServerFlags>;

/** The values of argv; throws HelpRequested for --help, FlagError for a mistake. */
export function parseConfig(argv: readonly string[], env: Env = process.env): Config {
  return parseComponentFlags('api-server', apiServerFlags, argv, { env });
}
