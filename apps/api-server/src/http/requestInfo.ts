/**
 * URL → request info, following the api-server's RequestInfoFactory:
 *
 *   /api/v1/namespaces/{ns}/{resource}/{name}/{subresource}
 *   /apis/{group}/{version}/{resource}/{name}/{subresource}
 *   /api/v1/watch/... (legacy watch paths)
 *
 * `namespaces/{name}/status` and `namespaces/{name}/finalize` are the namespace's own
 * subresources, not a namespaced resource called "status".
 */
import type { Verb } from '../registry/api';

export interface RequestInfo {
  group: string;
  version: string;
  resource: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** From a legacy /watch/ path. */
  legacyWatch: boolean;
}

const namespaceSubresources = new Set(['status', 'finalize']);

/** Parses a resource path; undefined when it is not one (discovery and other paths). */
export function parseResourcePath(pathname: string): RequestInfo | undefined {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    version = parts[1] as string;
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1] as string;
    version = parts[2] as string;
    rest = parts.slice(3);
  } else {
    return undefined;
  }
  let legacyWatch = false;
  if (rest[0] === 'watch') {
    legacyWatch = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length > 1) {
    namespace = rest[1];
    if (rest.length > 2 && !namespaceSubresources.has(rest[2] as string)) rest = rest.slice(2);
  }
  if (!rest.length) return undefined;
  const info: RequestInfo = { group, version, resource: rest[0] as string, legacyWatch };
  if (rest[0] === 'namespaces') {
    // The namespace object itself: /api/v1/namespaces/{name}[/status|/finalize]
    if (rest[1] !== undefined) info.name = rest[1];
    if (rest[2] !== undefined) info.subresource = rest[2];
    if (rest.length > 3) return undefined;
    return info;
  }
  if (namespace !== undefined) info.namespace = namespace;
  if (rest[1] !== undefined) info.name = rest[1];
  if (rest[2] !== undefined) info.subresource = rest[2];
  if (rest.length > 3) return undefined;
  return info;
}

/** HTTP method + request info → the API verb. */
export function verbOf(method: string, info: RequestInfo, watch: boolean): Verb | undefined {
  const hasName = info.name !== undefined;
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (watch || info.legacyWatch) return 'watch';
      return hasName ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return hasName ? 'update' : undefined;
    case 'PATCH':
      return hasName ? 'patch' : undefined;
    case 'DELETE':
      return hasName ? 'delete' : 'deletecollection';
    default:
      return undefined;
  }
}
