/**
 * The HTTP transport of the API (express): discovery, OpenAPI, health, metrics, and the resource
 * paths, translated into `ApiRequest`s for the transport-neutral `Api`. Every error leaves as a
 * Status object; nothing a client sends can crash the process.
 */
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { internalError, isStatusError, requestEntityTooLarge } from '@kubeling/api';
import type { Status } from '@kubeling/api';
import { apiGroup, apiGroupList, apiResourceList, apiVersions } from '../discovery';
import type { Logger } from '../log';
import type { ApiMetrics, RequestLabels } from '../metrics';
import type { OpenApiV3 } from '../openapi';
import type { Api, ApiRequest, Verb } from '../registry/api';
import { resourceNotFound } from '../registry/api';
import type { Query } from '../registry/options';
import { isWatch } from '../registry/options';
import type { WatchEvent } from '../registry/watch';
import { versionInfo } from '../version';
import { decodeObjectBody, decodePatchBody, maxRequestBodyBytes } from './body';
import type { RequestInfo } from './requestInfo';
import { parseResourcePath, verbOf } from './requestInfo';

export interface HttpDeps {
  api: Api;
  metrics: ApiMetrics;
  openapi: OpenApiV3;
  log: Logger;
  /** Readiness: the store and the bus are reachable. */
  ready(): { ok: boolean; checks: Record<string, boolean> };
  /** host:port clients should use, for /api's serverAddressByClientCIDRs. */
  serverAddress(): string;
}

function sendJson(
  res: Response,
  code: number,
  body: unknown,
  contentType = 'application/json',
): void {
  res.status(code).type(contentType).send(JSON.stringify(body));
}

function sendStatus(res: Response, status: Status): void {
  sendJson(res, status.code, status);
}

/** Warning headers as upstream formats them: `299 - "<text>"`. */
function setWarnings(res: Response, warnings: string[] | undefined): void {
  if (warnings?.length)
    res.setHeader(
      'Warning',
      warnings.map((w) => `299 - ${JSON.stringify(w)}`),
    );
}

function queryOf(req: Request): Query {
  return req.query as Query;
}

function metricVerb(verb: Verb, method: string): string {
  if (verb === 'list') return 'LIST';
  if (verb === 'watch') return 'WATCH';
  return method;
}

function scopeOf(info: RequestInfo): string {
  if (info.name !== undefined) return 'resource';
  return info.namespace !== undefined ? 'namespace' : 'cluster';
}

function healthHandler(deps: HttpDeps, withReadiness: boolean) {
  return (req: Request, res: Response) => {
    const r = withReadiness ? deps.ready() : { ok: true, checks: {} as Record<string, boolean> };
    if ('verbose' in req.query) {
      const lines = [
        '[+]ping ok',
        ...Object.entries(r.checks).map(
          ([k, ok]) => `[${ok ? '+' : '-'}]${k} ${ok ? 'ok' : 'failed'}`,
        ),
      ];
      lines.push(`${req.path.slice(1)} check ${r.ok ? 'passed' : 'failed'}`);
      res
        .status(r.ok ? 200 : 500)
        .type('text/plain')
        .send(lines.join('\n') + '\n');
      return;
    }
    res
      .status(r.ok ? 200 : 500)
      .type('text/plain')
      .send(r.ok ? 'ok' : `${req.path.slice(1)} check failed`);
  };
}

export function createHttpApp(deps: HttpDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'extended');

  app.use(express.raw({ type: () => true, limit: maxRequestBodyBytes }));

  app.get('/version', (_req, res) => sendJson(res, 200, versionInfo()));
  app.get(['/healthz', '/livez'], healthHandler(deps, false));
  app.get('/readyz', healthHandler(deps, true));
  app.get('/metrics', (_req, res) => {
    res.type('text/plain; version=0.0.4').send(deps.metrics.render());
  });

  app.get('/openapi/v3', (_req, res) => sendJson(res, 200, deps.openapi.index));
  app.get(/^\/openapi\/v3\/(.+)$/, (req, res) => {
    const doc = deps.openapi.documents.get(String(req.params[0]));
    if (!doc) return sendStatus(res, resourceNotFound().status);
    res.setHeader('Cache-Control', 'public, immutable');
    res.status(200).type('application/json').send(doc.body);
  });

  const kinds = () => deps.api.kinds();
  app.get('/api', (_req, res) => sendJson(res, 200, apiVersions(deps.serverAddress())));
  app.get('/apis', (_req, res) => sendJson(res, 200, apiGroupList(kinds())));
  app.get(['/api/:version', '/apis/:group/:version'], (req, res, next) => {
    const list = apiResourceList(
      kinds(),
      String(req.params.group ?? ''),
      String(req.params.version ?? ''),
    );
    if (!list) return next();
    sendJson(res, 200, list);
  });
  app.get('/apis/:group', (req, res, next) => {
    const g = apiGroup(kinds(), String(req.params.group ?? ''));
    if (!g) return next();
    sendJson(res, 200, g);
  });

  app.use((req, res, next) => {
    handleResource(deps, req, res).catch(next);
  });

  // express hands body-parser failures and anything a handler threw to here.
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const e = err as { type?: string; status?: number };
    let status: Status;
    if (e?.type === 'entity.too.large')
      status = requestEntityTooLarge(`limit is ${maxRequestBodyBytes}`).status;
    else if (isStatusError(err)) status = err.status;
    else {
      deps.log.error('request failed', { error: err instanceof Error ? err.stack : String(err) });
      status = internalError(err).status;
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    sendStatus(res, status);
  });
  return app;
}

async function handleResource(deps: HttpDeps, req: Request, res: Response): Promise<void> {
  const started = process.hrtime.bigint();
  const info = parseResourcePath(req.path);
  const q = queryOf(req);
  const watching = isWatch(q);
  const verb = info && verbOf(req.method, info, watching);
  if (!info || !verb) {
    sendStatus(res, resourceNotFound().status);
    return;
  }
  const labels: RequestLabels = {
    verb: metricVerb(verb, req.method),
    group: info.group,
    version: info.version,
    resource: info.resource,
    subresource: info.subresource ?? '',
    scope: scopeOf(info),
    component: 'apiserver',
  };
  const apiReq: ApiRequest = {
    verb,
    group: info.group,
    version: info.version,
    resource: info.resource,
    query: q,
  };
  if (info.subresource !== undefined) apiReq.subresource = info.subresource;
  if (info.namespace !== undefined) apiReq.namespace = info.namespace;
  if (info.name !== undefined) apiReq.name = info.name;
  const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  let code = 500;
  try {
    if (verb === 'watch') {
      deps.metrics.longrunning.add(labels, 1);
      try {
        code = 200;
        await serveWatch(deps, apiReq, req, res);
      } finally {
        deps.metrics.longrunning.add(labels, -1);
      }
      return;
    }
    if (verb === 'patch') {
      const { type, patch } = decodePatchBody(req.get('content-type'), body);
      apiReq.patchType = type;
      apiReq.body = patch;
    } else if (
      verb === 'create' ||
      verb === 'update' ||
      verb === 'delete' ||
      verb === 'deletecollection'
    ) {
      apiReq.body = decodeObjectBody(req.get('content-type'), body);
    }
    const out = await deps.api.handle(apiReq);
    setWarnings(res, out.warnings);
    code = out.code;
    sendJson(res, out.code, out.body);
  } catch (e) {
    code = isStatusError(e) ? e.code : 500;
    throw e;
  } finally {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    deps.metrics.observe(labels, code, 'dryRun' in q, seconds);
    deps.log.debug('request', {
      method: req.method,
      path: req.originalUrl,
      code,
      ms: Math.round(seconds * 1000),
    });
  }
}

/**
 * A watch as a chunked stream of JSON lines. Headers go out first (so an expired
 * resourceVersion arrives as an ERROR event on a 200, as upstream does it), then events, with
 * backpressure: a slow client holds its own watch back, nobody else's.
 */
async function serveWatch(
  deps: HttpDeps,
  apiReq: ApiRequest,
  req: Request,
  res: Response,
): Promise<void> {
  let closed = false;
  let headersSent = false;
  const flushHeaders = () => {
    if (headersSent) return;
    headersSent = true;
    res.status(200);
    res.setHeader('Content-Type', 'application/json');
    res.setHeader('Transfer-Encoding', 'chunked');
    res.setHeader('Cache-Control', 'no-cache, private');
    res.flushHeaders();
  };
  const done = new Promise<void>((resolve) => {
    res.on('close', () => {
      closed = true;
      resolve();
    });
  });
  const sink = {
    send: async (ev: WatchEvent) => {
      if (closed) return;
      flushHeaders();
      if (!res.write(JSON.stringify(ev) + '\n')) {
        await new Promise<void>((resolve) => {
          const finish = () => {
            res.off('drain', finish);
            res.off('close', finish);
            resolve();
          };
          res.on('drain', finish);
          res.on('close', finish);
        });
      }
    },
    close: () => {
      if (closed) return;
      flushHeaders();
      res.end();
    },
  };
  const watch = await deps.api.watch(apiReq, sink);
  flushHeaders();
  req.on('close', () => watch.stop());
  if (closed) watch.stop();
  await done;
  watch.stop();
}
