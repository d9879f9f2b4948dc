/**
 * The small HTTP server every component runs on its own port (kube-scheduler's 10259,
 * kube-controller-manager's 10257...), serving `/metrics`, `/healthz`, `/livez`, `/readyz`, so
 * `curl` and Prometheus work against any one process. kubeling serves it as plain HTTP on
 * loopback by default (upstream serves HTTPS with delegated authentication; kubeling has no
 * authentication yet). The api-server mounts the same handler on its API port instead.
 */
import * as http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { HealthChecks, HealthEndpoint } from './healthz';
import type { Logger } from './logger';

export interface EndpointsOptions {
  registry: Registry;
  health: HealthChecks;
}

/**
 * Serves /metrics and the health endpoints; calls `next` (or answers 404) for any other path.
 * Its signature is a connect/express middleware's, so the api-server can `app.use` it.
 */
export type EndpointsHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  next?: () => void,
) => void;

const healthPath = /^\/(healthz|livez|readyz)(?:\/([^/]+))?\/?$/;

export function endpointsHandler(opts: EndpointsOptions): EndpointsHandler {
  return (req, res, next) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const get = req.method === 'GET' || req.method === 'HEAD';
    if (get && url.pathname === '/metrics') {
      opts.registry.metrics().then(
        (text) => send(res, 200, text, opts.registry.contentType),
        (e: unknown) => send(res, 500, `${e instanceof Error ? e.message : String(e)}\n`),
      );
      return;
    }
    const m = get ? healthPath.exec(url.pathname) : null;
    if (!m) {
      if (next) next();
      else send(res, 404, '404 page not found\n');
      return;
    }
    const endpoint = m[1] as HealthEndpoint;
    void answerHealth(opts.health, endpoint, m[2], url.searchParams, res);
  };
}

async function answerHealth(
  health: HealthChecks,
  endpoint: HealthEndpoint,
  one: string | undefined,
  query: URLSearchParams,
  res: ServerResponse,
): Promise<void> {
  if (one !== undefined) {
    const ok = await health.runOne(endpoint, one);
    if (ok === undefined) send(res, 404, '404 page not found\n');
    else if (ok) send(res, 200, 'ok');
    else send(res, 500, `internal server error: ${one} check failed\n`);
    return;
  }
  const report = await health.run(endpoint, new Set(query.getAll('exclude')));
  if (!report.ok) {
    send(res, 500, `${report.lines.join('\n')}\n${endpoint} check failed\n`);
    return;
  }
  if (query.has('verbose'))
    send(res, 200, `${report.lines.join('\n')}\n${endpoint} check passed\n`);
  else send(res, 200, 'ok');
}

function send(
  res: ServerResponse,
  code: number,
  body: string,
  type = 'text/plain; charset=utf-8',
): void {
  res.statusCode = code;
  res.setHeader('Content-Type', type);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.end(body);
}

export interface ServingOptions extends EndpointsOptions {
  bindAddress: string;
  /** 0: a free port the kernel picks (logged, and in the returned url). */
  port: number;
  log?: Logger;
  /**
   * The component's own routes (a scheduler's /debug/decisions): asked first for every request;
   * returns true when it answered.
   */
  routes?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

export interface EndpointsServer {
  /** e.g. http://127.0.0.1:10259 */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Starts the metrics/health server; rejects when the port is taken. */
export async function serveEndpoints(opts: ServingOptions): Promise<EndpointsServer> {
  const handler = endpointsHandler(opts);
  const server = http.createServer((req, res) => {
    if (!opts.routes?.(req, res)) handler(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.bindAddress, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = opts.bindAddress.includes(':') ? `[${opts.bindAddress}]` : opts.bindAddress;
  const url = `http://${host}:${port}`;
  opts.log?.info('serving metrics and health', { url });
  return {
    url,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
