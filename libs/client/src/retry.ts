/**
 * What the Client sends again after a failed attempt, and when (client-go rest/with_retry.go,
 * extended for a bus with several replicas behind one subject).
 *
 * - 429 TooManyRequests: the server refused the request before doing anything, so any verb is
 *   retried, after the server's Retry-After (`details.retryAfterSeconds`; 1 s when absent).
 * - `not-delivered` (NATS no responders, connection refused): nothing received the request, so
 *   any verb is retried, after a short backoff (no api-server is up, or none yet).
 * - `lost` (the replica serving the request went silent — killed — or the connection broke
 *   under it): the request may or may not have been applied. Retried only when applying it twice
 *   is harmless or impossible:
 *   - get, list and watch read;
 *   - an update, or a patch, carrying `metadata.resourceVersion`: at most one of the attempts
 *     can commit, a second finds the resourceVersion moved and gets 409 Conflict;
 *   - a delete with a uid or resourceVersion precondition: it cannot remove a newer object of
 *     the same name; a second attempt after a committed one gets 404 NotFound or 409 Conflict;
 *   - a create with a fixed `metadata.name` (not `generateName`): at most one object of that name
 *     can exist, a second attempt after a committed one gets 409 AlreadyExists.
 *   Those 409s and 404s are returned to the caller as they are. We do not turn an AlreadyExists
 *   after a retried create into success: the object of that name may be someone else's (two
 *   leader-election candidates creating the same Lease must not both believe they created it),
 *   and reading it back cannot tell ours from theirs. Callers already handle AlreadyExists and
 *   Conflict as "someone got there first: re-read" (controllers requeue, the leader elector
 *   re-reads the Lease), which is also right when that someone was our first attempt. Writes
 *   without such a precondition (generateName creates, unconditional updates, patches and
 *   deletes, deletecollection) fail with the 503/504 instead, as they do over HTTP upstream.
 *
 * Everything else (a Status the server answered, our deadline, our caller's abort) is final.
 */
import type { StatusError } from '@kubeling/api';
import { isStatusError } from '@kubeling/api';
import { transportFailureOf } from './transport/status';
import type { ApiRequest } from './transport/types';

/** client-go's default maxRetries for a request. */
export const DEFAULT_MAX_RETRIES = 10;

/** A request as the retry rules see it: a watch is a read. */
export type RetriedRequest = Pick<ApiRequest, 'verb' | 'body' | 'patchType'> | { verb: 'watch' };

function field(o: unknown, ...path: string[]): unknown {
  let v = o;
  for (const k of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

const nonEmpty = (v: unknown) => typeof v === 'string' && v !== '';

/** True when sending `req` twice cannot apply it twice (see the module comment). */
export function safeToResend(req: RetriedRequest): boolean {
  switch (req.verb) {
    case 'get':
    case 'list':
    case 'watch':
      return true;
    case 'create':
      return nonEmpty(field(req.body, 'metadata', 'name'));
    case 'update':
      return nonEmpty(field(req.body, 'metadata', 'resourceVersion'));
    case 'patch':
      if (req.patchType === 'json')
        return (
          Array.isArray(req.body) &&
          req.body.some(
            (op) => field(op, 'op') === 'test' && field(op, 'path') === '/metadata/resourceVersion',
          )
        );
      return nonEmpty(field(req.body, 'metadata', 'resourceVersion'));
    case 'delete':
      return (
        nonEmpty(field(req.body, 'preconditions', 'uid')) ||
        nonEmpty(field(req.body, 'preconditions', 'resourceVersion'))
      );
    default:
      return false;
  }
}

/** Backoff between resends after a transport failure: 50 ms doubling to 1 s. */
export function resendBackoffMs(attempt: number): number {
  return Math.min(1000, 50 * 2 ** attempt);
}

/** The Retry-After of a 429 (or undefined for any other error). */
export function retryAfterMs(e: StatusError): number | undefined {
  if (e.code !== 429) return undefined;
  const s = e.status.details?.retryAfterSeconds;
  return (typeof s === 'number' && s >= 0 ? s : 1) * 1000;
}

/**
 * How long to wait before attempt `attempt + 1` of `req` after `err` ended attempt `attempt`
 * (0-based), or undefined when it must not be retried.
 */
export function retryDelayMs(
  req: RetriedRequest,
  err: unknown,
  attempt: number,
  maxRetries = DEFAULT_MAX_RETRIES,
): number | undefined {
  if (attempt >= maxRetries || !isStatusError(err)) return undefined;
  const after = retryAfterMs(err);
  if (after !== undefined) return after;
  const failure = transportFailureOf(err);
  if (failure === 'not-delivered') return resendBackoffMs(attempt);
  if (failure === 'lost' && safeToResend(req)) return resendBackoffMs(attempt);
  return undefined;
}
