/**
 * Wires one api-server replica: store (Redis), bus (NATS), the transport-neutral Api, and its
 * two transports, HTTP and NATS (nats/transport.ts). `main.ts` calls it with parsed flags; tests
 * call it in-process.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { connect, type NatsConnection } from 'nats';
import type { Clock } from '@kubeling/api';
import { realClock, scheme } from '@kubeling/api';
import { clusterPrefix, Store } from '@kubeling/store';
import type { Registry } from '@kubeling/runtime';
import { createRegistry, endpointsHandler, HealthChecks } from '@kubeling/runtime';
import type { Config } from './config';
import { MaxInFlight } from './filters/maxInFlight';
import { createHttpApp } from './http/server';
import type { Logger } from './log';
import { ApiMetrics } from './metrics';
import { NatsApi } from './nats/transport';
import { buildOpenApiV3 } from './openapi';
import { PodStreams } from './proxy/podStreams';
import { Api } from './registry/api';
import { parseCidr } from './registry/services';

export interface RunningApiServer {
  /** Base URL, e.g. http://127.0.0.1:6443 */
  url: string;
  port: number;
  api: Api;
  store: Store;
  /** The API over NATS: its subjects, this replica's subject token. */
  natsApi: NatsApi;
  /** The in-flight limit both transports share. */
  maxInFlight: MaxInFlight;
  /** This replica's metrics (served on /metrics). */
  registry: Registry;
  /** Its health checks (served on /healthz, /livez, /readyz). */
  health: HealthChecks;
  /** Stops cleanly: NATS requests drain, NATS watches end (clients re-watch elsewhere). */
  stop(): Promise<void>;
}

export async function startApiServer(
  config: Config,
  log: Logger,
  clock: Clock = realClock,
): Promise<RunningApiServer> {
  const store = new Store({
    redisUrl: config.redisUrl,
    prefix: clusterPrefix(config.clusterName),
    logRetention: config.logRetention,
  });
  let nats: NatsConnection | undefined;
  let natsUp = false;
  try {
    nats = await connect({
      servers: config.natsUrl,
      name: `api-server-${config.id}`,
      maxReconnectAttempts: -1,
    });
    natsUp = true;
    void (async () => {
      for await (const s of nats!.status()) {
        if (s.type === 'disconnect') natsUp = false;
        if (s.type === 'reconnect') natsUp = true;
      }
    })();
  } catch (e) {
    await store.close();
    throw new Error(`cannot reach NATS at ${config.natsUrl}: ${(e as Error).message}`);
  }

  const [minPort, maxPort] = config.serviceNodePortRange.split('-').map(Number) as [number, number];
  const registry = createRegistry();
  const metrics = new ApiMetrics(registry);
  const api = new Api({
    store,
    scheme,
    clock,
    serviceCidr: parseCidr(config.serviceClusterIpRange),
    nodePortRange: { min: minPort, max: maxPort },
    minRequestTimeoutSeconds: config.minRequestTimeout,
    bookmarkIntervalMs: config.watchBookmarkInterval * 1000,
    watchCache: { metrics: metrics.watchCache },
    defaultTolerationSeconds: {
      notReadySeconds: config.defaultNotReadyTolerationSeconds,
      unreachableSeconds: config.defaultUnreachableTolerationSeconds,
    },
  });

  let address = `${config.bindAddress}:${config.port}`;
  let natsApi: NatsApi | undefined;
  const health = new HealthChecks();
  health.addReadyz('redis', () => store.ready());
  health.addReadyz('nats', () => natsUp);
  // nats-api: the request and watch subscriptions are registered and not draining.
  health.addReadyz('nats-api', () => natsApi?.ready() ?? false);
  // One limiter for both transports: a replica's capacity is the same whichever way requests come.
  // --max-requests-inflight / --max-mutating-requests-inflight (filters/maxInFlight.ts).
  const maxInFlight = new MaxInFlight({
    maxRequestsInflight: config.maxRequestsInflight,
    maxMutatingRequestsInflight: config.maxMutatingRequestsInflight,
    onChange: (kind, delta) => metrics.inflight.add({ request_kind: kind }, delta),
  });
  // pods/log, exec, attach, portforward: relayed to the pod's kubelet (proxy/podStreams.ts).
  const podStreams = new PodStreams({ api, log });
  const app = createHttpApp({
    podStreams,
    maxInFlight,
    api,
    clock,
    metrics,
    openapi: buildOpenApiV3(api.kinds()),
    log,
    endpoints: endpointsHandler({ registry, health }),
    serverAddress: () => address,
  });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.port, config.bindAddress, () => resolve(s));
    s.once('error', reject);
  });
  // Node hands every upgrade request (WebSocket, SPDY) to this event, not to the app.
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
    podStreams.handleUpgrade(req, socket, head, app),
  );
  // Watches are long-lived; the server's own timeouts must not cut them.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  server.keepAliveTimeout = 65_000;
  const port = (server.address() as AddressInfo).port;
  address = `${config.bindAddress}:${port}`;
  try {
    await api.bootstrap(port);
    natsApi = await NatsApi.start({
      nc: nats,
      api,
      cluster: config.clusterName,
      replicaId: config.id,
      log,
      metrics,
      bookmarkIntervalMs: config.natsWatchBookmarkInterval * 1000,
      watchExpiryMs: config.natsWatchExpiry * 1000,
      maxInFlight,
    });
  } catch (e) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await nats.close();
    await store.close();
    throw e;
  }
  const natsTransport = natsApi;

  return {
    url: `http://${config.bindAddress}:${port}`,
    port,
    api,
    store,
    natsApi: natsTransport,
    maxInFlight,
    registry,
    health,
    async stop() {
      // Not ready from now on (upstream's shutdown check), while NATS drains.
      health.shutdown();
      await natsTransport.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        podStreams.close();
      });
      await nats?.close();
      api.close();
      await store.close();
    },
  };
}
