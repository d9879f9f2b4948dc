/**
 * Protocol messages → the transport-neutral `ApiRequest`, with the same routing rules the HTTP
 * transport applies to paths and methods (a verb that needs a name and has none is the 404
 * upstream gives an unknown path). Everything after that — validation, defaulting, admission,
 * errors — is the `Api`'s, shared with HTTP.
 */
import type { ApiRequestMessage, WatchRequestMessage } from '@kubeling/bus';
import { badRequest } from '@kubeling/api';
import type { ApiRequest, Verb } from '../registry/api';
import { resourceNotFound } from '../registry/api';
import type { Query } from '../registry/options';
import { isWatch } from '../registry/options';
import type { RequestLabels } from '../metrics';

const needsName: ReadonlySet<Verb> = new Set(['get', 'update', 'patch', 'delete']);
const takesNoName: ReadonlySet<Verb> = new Set(['list', 'deletecollection']);

/** A path segment over HTTP cannot hold `/`; over NATS such a name would address nothing. */
function checkSegments(m: { namespace?: string; name?: string; subresource?: string }): void {
  for (const s of [m.namespace, m.name, m.subresource])
    if (s !== undefined && s.includes('/')) throw resourceNotFound();
}

export function toApiRequest(m: ApiRequestMessage, watchSubject: string): ApiRequest {
  checkSegments(m);
  const query: Query = { ...(m.query ?? {}) };
  if (isWatch(query)) throw badRequest(`watches over NATS go to ${watchSubject}`);
  // Over HTTP a subresource path always names its object.
  if ((needsName.has(m.verb) || m.subresource !== undefined) && m.name === undefined)
    throw resourceNotFound();
  if (takesNoName.has(m.verb) && m.name !== undefined)
    throw badRequest(`verb ${m.verb} takes no name`);
  const req: ApiRequest = {
    verb: m.verb,
    group: m.group,
    version: m.version,
    resource: m.resource,
    query,
  };
  if (m.subresource !== undefined) req.subresource = m.subresource;
  if (m.namespace !== undefined) req.namespace = m.namespace;
  if (m.name !== undefined) req.name = m.name;
  if (m.body !== undefined) req.body = m.body;
  if (m.patchType !== undefined) req.patchType = m.patchType;
  if (m.userAgent) req.userAgent = m.userAgent;
  return req;
}

/**
 * A watch request as the `Api` takes it. Bookmarks are always on: over NATS they are the
 * heartbeat that tells a client its replica is alive.
 */
export function toWatchRequest(m: WatchRequestMessage): ApiRequest {
  checkSegments(m);
  const req: ApiRequest = {
    verb: 'watch',
    group: m.group,
    version: m.version,
    resource: m.resource,
    query: { ...(m.query ?? {}), watch: 'true', allowWatchBookmarks: 'true' },
  };
  if (m.namespace !== undefined) req.namespace = m.namespace;
  if (m.name !== undefined) req.name = m.name;
  return req;
}

const metricVerbs: Record<Verb, string> = {
  get: 'GET',
  list: 'LIST',
  watch: 'WATCH',
  create: 'POST',
  update: 'PUT',
  patch: 'PATCH',
  delete: 'DELETE',
  deletecollection: 'DELETE',
};

/** The labels HTTP requests get, so apiserver_request_total counts both transports alike. */
export function metricLabels(req: ApiRequest): RequestLabels {
  return {
    verb: metricVerbs[req.verb],
    group: req.group,
    version: req.version,
    resource: req.resource,
    subresource: req.subresource ?? '',
    scope:
      req.name !== undefined ? 'resource' : req.namespace !== undefined ? 'namespace' : 'cluster',
    component: 'apiserver',
  };
}
