/** Turning what came back over a wire into the one error type, `StatusError`. */
import type { Status, StatusReason } from '@kubeling/api';
import { fromStatus, isStatusError, statusFailure, StatusError } from '@kubeling/api';

/**
 * What a transport knows about a failed attempt that the server did not answer, which decides
 * what the Client may retry (retry.ts):
 * - `not-delivered`: no server received the request (NATS no responders, connection refused):
 *   any request may be sent again;
 * - `lost`: a server may have received it and then vanished (silence, connection reset): only a
 *   request that cannot apply twice may be sent again.
 */
export type TransportFailure = 'not-delivered' | 'lost';

const transportFailures = new WeakMap<object, TransportFailure>();

export function markTransportFailure(e: StatusError, failure: TransportFailure): StatusError {
  transportFailures.set(e, failure);
  return e;
}

export function transportFailureOf(e: unknown): TransportFailure | undefined {
  return typeof e === 'object' && e !== null ? transportFailures.get(e) : undefined;
}

/** The error an attempt ends with once its signal aborted: the reason the aborter gave. */
export function abortedError(signal: AbortSignal, what: string): StatusError {
  const r: unknown = signal.reason;
  return isStatusError(r) ? r : statusFailure('Timeout', `${what}: the request was cancelled`);
}

export function isStatus(v: unknown): v is Status {
  return (
    typeof v === 'object' &&
    v !== null &&
    (v as { kind?: unknown }).kind === 'Status' &&
    typeof (v as { code?: unknown }).code === 'number'
  );
}

/** apimachinery's reasonForCode: the reason a bare HTTP code implies. */
function reasonForCode(code: number): StatusReason {
  switch (code) {
    case 400:
      return 'BadRequest';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden';
    case 404:
      return 'NotFound';
    case 405:
      return 'MethodNotAllowed';
    case 406:
      return 'NotAcceptable';
    case 409:
      return 'Conflict';
    case 410:
      return 'Gone';
    case 413:
      return 'RequestEntityTooLarge';
    case 415:
      return 'UnsupportedMediaType';
    case 422:
      return 'Invalid';
    case 429:
      return 'TooManyRequests';
    case 503:
      return 'ServiceUnavailable';
    case 504:
      return 'Timeout';
    default:
      return 'InternalError';
  }
}

/**
 * The error for a failed response: its Status body when it has one, otherwise a Status built
 * from the code (as client-go's newUnstructuredResponseError does for a non-Status body).
 */
export function errorFromResponse(
  code: number,
  body: unknown,
  retryAfterSeconds?: number,
): StatusError {
  if (isStatus(body)) {
    // Retry-After travels as a header over HTTP; keep it where the NATS reply has it.
    if (retryAfterSeconds !== undefined && body.details?.retryAfterSeconds === undefined)
      return fromStatus({ ...body, details: { ...body.details, retryAfterSeconds } });
    return fromStatus(body);
  }
  const text = typeof body === 'string' ? body.trim() : '';
  return statusFailure(
    reasonForCode(code),
    text
      ? `the server responded with the status code ${code} but did not return more information (${text.slice(0, 200)})`
      : `the server responded with the status code ${code} but did not return more information`,
    retryAfterSeconds !== undefined ? { retryAfterSeconds } : undefined,
    code,
  );
}

/** A transport failure (connection refused, reset) as a 503 Status, keeping the cause. */
export function unreachable(what: string, cause: unknown): StatusError {
  const msg = cause instanceof Error ? cause.message : String(cause);
  const e = statusFailure('ServiceUnavailable', `${what}: ${msg}`);
  (e as Error).cause = cause;
  return e;
}

export function asStatusError(e: unknown, what: string): StatusError {
  return e instanceof StatusError ? e : unreachable(what, e);
}
