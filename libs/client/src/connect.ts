/**
 * Building a Client from a component's flags, the same way for every component: over NATS by
 * default (`--cluster-name`, `--nats-url`, what `kubeling up` passes), or over HTTP when given
 * `--server URL` or `--kubeconfig PATH` (handy for a tool or for debugging against any
 * api-server). The flags are declared once, with the runtime (libs/runtime); their values come
 * back camelCased (`clusterName`, `kubeApiQps`) and go straight into connectFromFlags.
 */
import * as fs from 'node:fs';
import { parse } from 'yaml';
import type { FlagValues, Logger, Registry } from '@kubeling/runtime';
import { flag, flagGroup } from '@kubeling/runtime';
import { Client } from './client';
import type { ClientOptions } from './client';
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
      description: "talk HTTP to the current context's server of this kubeconfig",
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

/** The current context's cluster.server of a kubeconfig. */
export function serverOfKubeconfig(path: string): string {
  const cfg = parse(fs.readFileSync(path, 'utf8')) as {
    'current-context'?: string;
    contexts?: { name: string; context?: { cluster?: string } }[];
    clusters?: { name: string; cluster?: { server?: string } }[];
  };
  const ctx = cfg.contexts?.find((c) => c.name === cfg['current-context']) ?? cfg.contexts?.[0];
  const cluster = cfg.clusters?.find((c) => c.name === ctx?.context?.cluster) ?? cfg.clusters?.[0];
  const server = cluster?.cluster?.server;
  if (!server) throw new Error(`${path}: no server for the current context`);
  return server;
}

export async function connectFromFlags(values: ConnectOptions): Promise<Client> {
  const limits: Pick<ClientOptions, 'qps' | 'burst'> = {};
  if (values.qps !== undefined) limits.qps = values.qps;
  if (values.burst !== undefined) limits.burst = values.burst;
  const server =
    values.server ?? (values.kubeconfig ? serverOfKubeconfig(values.kubeconfig) : undefined);
  const cluster = values.clusterName ?? 'kubeling';
  values.logger?.V(1).info('connecting to the api-server', {
    via: server ?? values.natsUrl ?? 'nats',
    cluster,
  });
  let transport: Transport;
  if (server) transport = new HttpTransport({ server });
  else {
    const opts: Parameters<typeof NatsTransport.connect>[0] = { cluster };
    if (values.natsUrl) opts.natsUrl = values.natsUrl;
    if (values.name) opts.name = values.name;
    transport = await NatsTransport.connect(opts);
  }
  if (values.registry) {
    const host = server ? new URL(server).host : `nats/${cluster}`;
    transport = meteredTransport(transport, { registry: values.registry, host });
  }
  return new Client({ transport, ...limits });
}
