/**
 * Building a Client from a component's flags, the same way for every component: over NATS by
 * default (`--cluster-name`, `--nats-url`, what `kubeling up` passes), or over HTTP when given
 * `--server URL` or `--kubeconfig PATH` (handy for a tool or for debugging against any
 * api-server).
 */
import type { ClientOptions } from './client';
import { Client } from './client';
import { kubeconfigHttpOptions } from './kubeconfig';
import { HttpTransport } from './transport/http';
import { NatsTransport } from './transport/nats';

export const clientFlagOptions = {
  'cluster-name': { type: 'string', default: 'kubeling' },
  'nats-url': { type: 'string' },
  server: { type: 'string' },
  kubeconfig: { type: 'string' },
} as const;

export const clientFlagsUsage = `  --cluster-name NAME   cluster to join over NATS (default kubeling)
  --nats-url URL        the bus (default $NATS_URL or nats://127.0.0.1:4222)
  --server URL          talk HTTP to this api-server instead of NATS
  --kubeconfig PATH     talk HTTP(S) to the current context of this kubeconfig (TLS, tokens, client certificates)
`;

export interface ConnectOptions {
  'cluster-name'?: string | undefined;
  'nats-url'?: string | undefined;
  server?: string | undefined;
  kubeconfig?: string | undefined;
  /** NATS connection name. */
  name?: string;
  /** The client's QPS/burst limit (`--kube-api-qps`, `--kube-api-burst`; ClientOptions). */
  qps?: number | undefined;
  burst?: number | undefined;
}

export async function connectFromFlags(values: ConnectOptions): Promise<Client> {
  const limits: Pick<ClientOptions, 'qps' | 'burst'> = {};
  if (values.qps !== undefined) limits.qps = values.qps;
  if (values.burst !== undefined) limits.burst = values.burst;
  if (values.server)
    return new Client({ transport: new HttpTransport({ server: values.server }), ...limits });
  if (values.kubeconfig)
    return new Client({
      transport: new HttpTransport(await kubeconfigHttpOptions(values.kubeconfig)),
      ...limits,
    });
  const opts: Parameters<typeof NatsTransport.connect>[0] = {
    cluster: values['cluster-name'] ?? 'kubeling',
  };
  if (values['nats-url']) opts.natsUrl = values['nats-url'];
  if (values.name) opts.name = values.name;
  return new Client({ transport: await NatsTransport.connect(opts), ...limits });
}
