/**
 * The HTTP transport of the API (express): discovery, OpenAPI, health, metrics, and the resource
 * paths, translated into `ApiRequest`s for the transport-neutral `Api`. Resource answers are
 * written in the form the `Accept` header negotiates (JSON, YAML, or a meta.k8s.io Table /
 * PartialObjectMetadata conversion, see ../tables). Every error leaves as a Status object;
 * nothing a client sends can crash the process.
 */
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { stringify as toYaml } from 'yaml';
import {
  apiVersionOf,
  internalError,
  encodeJsonBytes,
  isStatusError,
  realClock,
  requestEntityTooLarge,
} from '@kubeling/api';
import type { Clock, KindInfo, Status } from '@kubeling/api';
import { apiGroup, apiGroupList, apiResourceList, apiVersions } from '../discovery';
import type { MaxInFlight } from '../filters/maxInFlight';
import type { EndpointsHandler } from '@kubeling/runtime';
import type { Logger } from '../log';
import type { ApiMetrics, RequestLabels } from '../metrics';
import type { OpenApiV3 } from '../openapi';
import type { PodStreams } from '../proxy/podStreams';
import type { Api, ApiRequest, Verb } from '../registry/api';
import { resourceNotFound } from '../registry/api';
import type { Query } from '../registry/options';
import { isWatch, one } from '../registry/options';
import type { WatchEvent } from '../registry/watch';
import type { Conversion, OutputMediaType } from '../tables';
import { convertBody, negotiateOutput, prepareConversion, watchConverter } from '../tables';
import { versionInfo } from '../version';
import type { ExpectedKind } from '../protobuf';
import { decodeObjectBody, decodePatchBody, maxRequestBodyBytes } from './body';
import type { RequestInfo } from './requestInfo';
import { parseResourcePath, verbOf } from './requestInfo';
import { warningHeader } from './warnings';

export interface HttpDeps {
  api: Api;
  metrics: ApiMetrics;
  openapi: OpenApiV3;
  log: Logger;
  /** /metrics, /healthz, /livez, /readyz: the runtime's handler (libs/runtime), on the API port. */
  endpoints: EndpointsHandler;
  /** host:port clients should use, for /api's serverAddressByClientCIDRs. */
  serverAddress(): string;
  /** What Table ages are measured against; the real clock when absent. */
  clock?: Clock;
  /** The replica's in-flight limit, shared with the NATS transport; no limit when absent. */
  maxInFlight?: MaxInFlight;
  /** pods/log and the plain-request side of pods/exec, attach, portforward (../proxy). */
  podStreams?: PodStreams;
}

function sendJson(
  res: Response,
  code: number,
  body: unknown,
  contentType = 'application/json',
): void {
  // A list from the watch cache carries its items' JSON bytes: copied, not serialized again.
  res.status(code).type(contentType).send(encodeJsonBytes(body));
}

function sendStatus(res: Response, status: Status): void {
  sendJson(res, status.code, status);
}

/**
 * A resource answer in the negotiated serializer. YAML is written as sigs.k8s.io/yaml writes it:
 * keys sorted, and YAML 1.1 quoting, so strings such as timestamps or "yes" stay strings for
 * YAML 1.1 readers.
 */
function sendNegotiated(
  res: Response,
  code: number,
  body: unknown,
  out: OutputMediaType,
  pretty: boolean,
): void {
  if (out.serializer === 'yaml') {
    const text = toYaml(body, { sortMapEntries: true, version: '1.1' });
    res.status(code).type(out.contentType).send(text);
    return;
  }
  if (pretty || out.pretty) {
    res
      .status(code)
      .type(out.contentType)
      .send(JSON.stringify(body, null, 2) + '\n');
    return;
  }
  sendJson(res, code, body, out.contentType);
}

/** Warning headers as upstream formats them: `299 - "<text>"` (see ./warnings). */
function setWarnings(res: Response, warnings: string[] | undefined): void {
  if (warnings?.length) res.setHeader('Warning', warnings.map(warningHeader));
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

export function createHttpApp(deps: HttpDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  // Flat keys, as Go's url.ParseQuery reads them: `labelSelector[a]=b` is an unknown parameter,
  // not an object where the registry expects a string.
  app.set('query parser', 'simple');

  app.use(express.raw({ type: () => true, limit: maxRequestBodyBytes }));

  app.get('/version', (_req, res) => sendJson(res, 200, versionInfo()));
  app.use(deps.endpoints);

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

  if (deps.podStreams) app.use(deps.podStreams.handleRequest);

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
    // 429 (and any Status that says when to come back) carries Retry-After, as upstream.
    const retryAfter = status.details?.retryAfterSeconds;
    if (retryAfter !== undefined) res.setHeader('Retry-After', String(retryAfter));
    sendStatus(res, status);
  });
  return app;
}

/** The kind a protobuf body must decode as on this endpoint (its own, Scale, or DeleteOptions). */
function expectedBodyKind(
  kind: KindInfo,
  verb: Verb,
  subresource: string | undefined,
): ExpectedKind {
  if (verb === 'delete' || verb === 'deletecollection')
    return { group: 'meta.k8s.io', version: 'v1', kind: 'DeleteOptions' };
  if (subresource === 'scale') return { group: 'autoscaling', version: 'v1', kind: 'Scale' };
  if (subresource === 'binding') return { group: '', version: 'v1', kind: 'Binding' };
  return { group: kind.group, version: kind.version, kind: kind.kind };
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
  const userAgent = req.get('user-agent');
  if (userAgent) apiReq.userAgent = userAgent;
  const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  let code = 500;
  let release: (() => void) | undefined;
  try {
    release = deps.maxInFlight?.acquire(verb);
    // Negotiate before doing anything, so an unacceptable Accept changes nothing (upstream's
    // handlers do the same). An unknown resource is left to the Api, which answers 404.
    const clock = deps.clock ?? realClock;
    const out = negotiateOutput(req.get('accept'), verb === 'watch');
    const kind = deps.api.registry(info.group, info.version, info.resource)?.info;
    let conv: Conversion | undefined;
    if (kind) {
      const conversion = {
        verb,
        group: info.group,
        resource: info.resource,
        query: q,
        typeMeta: { apiVersion: apiVersionOf(kind), kind: kind.kind },
        now: clock.now(),
      };
      conv = prepareConversion(
        out,
        info.subresource === undefined
          ? conversion
          : { ...conversion, subresource: info.subresource },
      );
    }
    if (verb === 'watch') {
      deps.metrics.longrunning.add(labels, 1);
      try {
        code = 200;
        await serveWatch(deps, apiReq, req, res, conv && watchConverter(conv, () => clock.now()));
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
      apiReq.body = decodeObjectBody(
        req.get('content-type'),
        body,
        kind && expectedBodyKind(kind, verb, info.subresource),
      );
    }
    const answer = await deps.api.handle(apiReq);
    setWarnings(res, answer.warnings);
    if (conv) conv.table.now = clock.now();
    const payload = conv ? convertBody(answer.body, conv) : answer.body;
    code = answer.code;
    // ?pretty=true (or Accept ...;pretty=1) indents JSON, as upstream's isPrettyPrint allows.
    const pretty = one(q, 'pretty') === 'true' || one(q, 'pretty') === '1';
    sendNegotiated(res, answer.code, payload, out, pretty);
  } catch (e) {
    code = isStatusError(e) ? e.code : 500;
    throw e;
  } finally {
    release?.();
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
 * backpressure: a slow client holds its own watch back, nobody else's. `convert` turns each
 * event's object into the negotiated form (a one-row Table for kubectl get -w).
 */
async function serveWatch(
  deps: HttpDeps,
  apiReq: ApiRequest,
  req: Request,
  res: Response,
  convert?: (ev: WatchEvent) => WatchEvent,
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
      if (!res.write(JSON.stringify(convert ? convert(ev) : ev) + '\n')) {
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
