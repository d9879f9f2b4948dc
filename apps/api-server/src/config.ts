/**
 * api-server flags. Each flag has the upstream name where kube-apiserver has one
 * (--bind-address, --service-cluster-ip-range, --service-node-port-range, --min-request-timeout).
 */
import { parseArgs } from 'node:util';
import { hostname } from 'node:os';
import { z } from 'zod';

const Config = z.object({
  clusterName: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS-1123 label'),
  bindAddress: z.string().ip(),
  port: z.coerce.number().int().min(0).max(65535),
  redisUrl: z.string().url(),
  natsUrl: z.string().url(),
  id: z.string().min(1),
  serviceClusterIpRange: z.string(),
  serviceNodePortRange: z.string().regex(/^\d+-\d+$/),
  minRequestTimeout: z.coerce.number().int().positive(),
  logRetention: z.coerce.number().int().positive(),
  watchBookmarkInterval: z.coerce.number().positive(),
  natsWatchBookmarkInterval: z.coerce.number().positive(),
  natsWatchExpiry: z.coerce.number().positive(),
  logLevel: z.enum(['error', 'info', 'debug']),
});
export type Config = z.infer<typeof Config>;

export const usage = `Usage: api-server [flags]

  --cluster-name NAME              cluster this replica serves; Redis keys live under kubeling:NAME: (default kubeling)
  --bind-address IP                address to listen on (default 127.0.0.1)
  --port N                         HTTP port (default 6443; 0 picks a free one)
  --redis-url URL                  store (default $REDIS_URL or redis://127.0.0.1:6379)
  --nats-url URL                   bus (default $NATS_URL or nats://127.0.0.1:4222)
  --id ID                          replica identity in logs and metrics (default hostname-pid)
  --service-cluster-ip-range CIDR  ClusterIP range (default 127.96.0.0/12)
  --service-node-port-range A-B    NodePort range (default 30000-32767)
  --min-request-timeout SECONDS    watches without timeoutSeconds last between this and twice it (default 1800)
  --log-retention N                change-log entries kept for watch resumption (default 100000)
  --watch-bookmark-interval SECONDS  how often watches that allow bookmarks get one (default 60)
  --nats-watch-bookmark-interval SECONDS  how often NATS watches get a BOOKMARK, their heartbeat (default 5)
  --nats-watch-expiry SECONDS      a NATS watch not kept alive this long is ended (default 30)
  --log-level error|info|debug     (default info)
`;

export function parseConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): Config {
  const { values } = parseArgs({
    args: argv,
    options: {
      'cluster-name': { type: 'string', default: 'kubeling' },
      'bind-address': { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '6443' },
      'redis-url': { type: 'string', default: env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
      'nats-url': { type: 'string', default: env.NATS_URL ?? 'nats://127.0.0.1:4222' },
      id: { type: 'string', default: `${hostname()}-${process.pid}` },
      'service-cluster-ip-range': { type: 'string', default: '127.96.0.0/12' },
      'service-node-port-range': { type: 'string', default: '30000-32767' },
      'min-request-timeout': { type: 'string', default: '1800' },
      'log-retention': { type: 'string', default: '100000' },
      'watch-bookmark-interval': { type: 'string', default: '60' },
      'nats-watch-bookmark-interval': { type: 'string', default: '5' },
      'nats-watch-expiry': { type: 'string', default: '30' },
      'log-level': { type: 'string', default: 'info' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(usage);
    process.exit(0);
  }
  return Config.parse({
    clusterName: values['cluster-name'],
    bindAddress: values['bind-address'],
    port: values.port,
    redisUrl: values['redis-url'],
    natsUrl: values['nats-url'],
    id: values.id,
    serviceClusterIpRange: values['service-cluster-ip-range'],
    serviceNodePortRange: values['service-node-port-range'],
    minRequestTimeout: values['min-request-timeout'],
    logRetention: values['log-retention'],
    watchBookmarkInterval: values['watch-bookmark-interval'],
    natsWatchBookmarkInterval: values['nats-watch-bookmark-interval'],
    natsWatchExpiry: values['nats-watch-expiry'],
    logLevel: values['log-level'],
  });
}
