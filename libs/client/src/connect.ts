/**
 * Building a Client from a component's flags, the same way for every component: over NATS by
 * default (`--cluster-name`, `--nats-url`, what `kubeling up` passes), or over HTTP when given
 * `--server URL` or `--kubeconfig PATH` (handy for a tool or for debugging against any
 * api-server). The flags are declared once, with the runtime (libs/runtime); their values come
 * back camelCased (`clusterName`, `kubeApiQps`) and go straight into connectFromFlags.
 */
import type { FlagValues, Logger, Registry } from '@kubeling/runtime';
import { flag, flagGroup } from '@kubeling/runtime';
import { Client } from './client';
import type { ClientOptions } from './client';
import { kubeconfigHttpOptions } from './kubeconfig';
import { meteredTransport } from './metrics';
import { HttpTransport } from './transport/http';
import { NatsTransport } from './transport/nats';
import type { Transport } from './transport/types';

/**
 * The connection flags. `--kube-api-qps`/`--kube-api-burst` default to kube-scheduler's 50/100
 * (kube-controller-manager's are 20/30, client-go's own 5/10); a component passes its own.
 */
export function clientFlags(defaults: { qps?: number; burst?: number } = {}) {
  return flagGroup('Client connection', {
    'cluster-name': flag.string({
      default: 'kubeling',
      description: 'cluster to join over NATS (subjects under kubeling.<name>.)',
    }),
    'nats-url': flag.string({
      default: (env) => env.NATS_URL ?? 'nats://127.0.0.1:4222',
      defaultText: '$NATS_URL or nats://127.0.0.1:4222',
      description: 'the bus',
    }),
    server: flag.string({ description: 'talk HTTP to this api-server URL instead of NATS' }),
    kubeconfig: flag.string({
      description:
        'talk HTTP(S) to the current context of this kubeconfig (TLS, tokens, client certificates)',
    }),
    'kube-api-qps': flag.float({
      default: defaults.qps ?? 50,
      min: 0,
      description: 'QPS to use while talking with the api-server.',
    }),
    'kube-api-burst': flag.int({
      default: defaults.burst ?? 100,
      min: 0,
      description: 'Burst to use while talking with the api-server.',
    }),
  });
}

export type ClientFlagValues = FlagValues<ReturnType<typeof clientFlags>>;

export interface ConnectOptions {
  clusterName?: string | undefined;
  natsUrl?: string | undefined;
  server?: string | undefined;
  kubeconfig?: string | undefined;
  /** The client's QPS/burst limit (`--kube-api-qps`, `--kube-api-burst`; ClientOptions). */
  qps?: number | undefined;
  burst?: number | undefined;
  /** NATS connection name. */
  name?: string;
  /** Register the client's `rest_client_*` metrics here. */
  registry?: Registry;
  /** Logs the connection it makes (V(1)). */
  logger?: Logger;
}

export async function connectFromFlags(values: ConnectOptions): Promise<Client> {
  const limits: Pick<ClientOptions, 'qps' | 'burst'> = {};
  if (values.qps !== undefined) limits.qps = values.qps;
  if (values.burst !== undefined) limits.burst = values.burst;
  const cluster = values.clusterName ?? 'kubeling';
  values.logger?.V(1).info('connecting to the api-server', {
    via: values.server ?? values.kubeconfig ?? values.natsUrl ?? 'nats',
    cluster,
  });
  let transport: Transport;
  let host = `nats/${cluster}`;
  if (values.server || values.kubeconfig) {
    const http = values.server
      ? { server: values.server }
      : await kubeconfigHttpOptions(values.kubeconfig as string);
    transport = new HttpTransport(http);
    host = new URL(http.server).host;
  } else {
    const opts: Parameters<typeof NatsTransport.connect>[0] = { cluster };
    if (values.natsUrl) opts.natsUrl = values.natsUrl;
    if (values.name) opts.name = values.name;
    transport = await NatsTransport.connect(opts);
  }
  if (values.registry) transport = meteredTransport(transport, { registry: values.registry, host });
  return new Client({ transport, ...limits });
}
