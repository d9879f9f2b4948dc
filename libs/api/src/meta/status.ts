/**
 * The one error shape of kubeling: a Kubernetes `Status` (meta/v1), built by named factories
 * whose messages copy apimachinery's `api/errors` so kubectl prints what it prints against a
 * real cluster. The same object is the HTTP body, the NATS reply and the client's thrown error.
 */
import type { FieldError } from './fieldErrors';
import { aggregateMessages, errorBody } from './fieldErrors';

export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Expired'
  | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType'
  | 'Invalid'
  | 'TooManyRequests'
  | 'InternalError'
  | 'ServiceUnavailable'
  | 'Timeout'
  | 'ServerTimeout';

/** apimachinery's reason → HTTP code table; one place, so transports cannot disagree. */
export const statusCodeOf: Record<StatusReason, number> = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  MethodNotAllowed: 405,
  NotAcceptable: 406,
  AlreadyExists: 409,
  Conflict: 409,
  Gone: 410,
  Expired: 410,
  RequestEntityTooLarge: 413,
  UnsupportedMediaType: 415,
  Invalid: 422,
  TooManyRequests: 429,
  InternalError: 500,
  ServerTimeout: 500,
  ServiceUnavailable: 503,
  Timeout: 504,
};

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: StatusReason | string;
  details?: StatusDetails;
  code: number;
}

/** A group + resource as apimachinery qualifies it: `pods`, `deployments.apps`. */
export interface GroupResource {
  group: string;
  resource: string;
}

/** A group + kind: `Pod`, `Deployment.apps`. */
export interface GroupKind {
  group: string;
  kind: string;
}

export function qualifiedResource(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

export function qualifiedKind(gk: GroupKind): string {
  return gk.group ? `${gk.kind}.${gk.group}` : gk.kind;
}

/** Thrown anywhere in kubeling; transports turn it into a Status reply. */
export class StatusError extends Error {
  readonly status: Status;
  constructor(status: Status) {
    super(status.message ?? status.reason ?? 'unknown error');
    this.name = 'StatusError';
    this.status = status;
  }
  get code(): number {
    return this.status.code;
  }
  get reason(): string | undefined {
    return this.status.reason;
  }
}

export function isStatusError(e: unknown): e is StatusError {
  return e instanceof StatusError;
}

/** True when `e` is a StatusError with that reason (like apierrors.IsNotFound and friends). */
export function hasReason(e: unknown, reason: StatusReason): boolean {
  return isStatusError(e) && e.status.reason === reason;
}

export function statusFailure(
  reason: StatusReason,
  message: string,
  details?: StatusDetails,
  code: number = statusCodeOf[reason],
): StatusError {
  const status: Status = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  };
  if (details) status.details = details;
  return new StatusError(status);
}

export function statusSuccess(details?: StatusDetails): Status {
  const status: Status = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    code: 200,
  };
  if (details) status.details = details;
  return status;
}

function grDetails(gr: GroupResource, name: string): StatusDetails {
  const d: StatusDetails = { name, kind: gr.resource };
  if (gr.group) d.group = gr.group;
  return d;
}

export function notFound(gr: GroupResource, name: string): StatusError {
  return statusFailure(
    'NotFound',
    `${qualifiedResource(gr)} "${name}" not found`,
    grDetails(gr, name),
  );
}

export function alreadyExists(gr: GroupResource, name: string): StatusError {
  return statusFailure(
    'AlreadyExists',
    `${qualifiedResource(gr)} "${name}" already exists`,
    grDetails(gr, name),
  );
}

/** The message the api-server gives for a stale resourceVersion. */
export const optimisticLockErrorMsg =
  'the object has been modified; please apply your changes to the latest version and try again';

export function conflict(
  gr: GroupResource,
  name: string,
  why: string = optimisticLockErrorMsg,
): StatusError {
  return statusFailure(
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(gr)} "${name}": ${why}`,
    grDetails(gr, name),
  );
}

export function invalid(gk: GroupKind, name: string, errs: FieldError[]): StatusError {
  const details: StatusDetails = {
    name,
    kind: gk.kind,
    causes: errs.map((e) => ({ reason: e.type, message: errorBody(e), field: e.field })),
  };
  if (gk.group) details.group = gk.group;
  return statusFailure(
    'Invalid',
    `${qualifiedKind(gk)} "${name}" is invalid: ${aggregateMessages(errs)}`,
    details,
  );
}

export function forbidden(
  gr: GroupResource,
  name: string,
  why: string,
  causes?: StatusCause[],
): StatusError {
  const details = grDetails(gr, name);
  if (causes) details.causes = causes;
  return statusFailure(
    'Forbidden',
    `${qualifiedResource(gr)} "${name}" is forbidden: ${why}`,
    details,
  );
}

export function badRequest(message: string): StatusError {
  return statusFailure('BadRequest', message);
}

/** A watch or continue token that points before the compacted history. */
export function expired(message: string): StatusError {
  return statusFailure('Expired', message);
}

export function gone(message: string): StatusError {
  return statusFailure('Gone', message);
}

export function methodNotSupported(gr: GroupResource, action: string): StatusError {
  return statusFailure(
    'MethodNotAllowed',
    `${action} is not supported on resources of kind "${qualifiedResource(gr)}"`,
    { kind: gr.resource, ...(gr.group ? { group: gr.group } : {}) },
  );
}

export function requestEntityTooLarge(message: string): StatusError {
  return statusFailure('RequestEntityTooLarge', `Request entity too large: ${message}`);
}

export function unsupportedMediaType(contentType: string, accepted: string[]): StatusError {
  return statusFailure(
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
    { causes: [{ reason: 'UnsupportedMediaType', message: contentType }] },
  );
}

export function notAcceptable(accepted: string[]): StatusError {
  return statusFailure(
    'NotAcceptable',
    `only the following media types are accepted: ${accepted.join(', ')}`,
  );
}

export function tooManyRequests(message: string, retryAfterSeconds = 1): StatusError {
  return statusFailure('TooManyRequests', message, { retryAfterSeconds });
}

export function internalError(err: unknown): StatusError {
  const msg = err instanceof Error ? err.message : String(err);
  return statusFailure('InternalError', `Internal error occurred: ${msg}`, {
    causes: [{ message: msg }],
  });
}

export function timeout(message: string): StatusError {
  return statusFailure('Timeout', message);
}

export function serviceUnavailable(message: string): StatusError {
  return statusFailure('ServiceUnavailable', message);
}

/** Rebuilds a StatusError from a Status received over the wire (HTTP body, NATS reply). */
export function fromStatus(status: Status): StatusError {
  return new StatusError(status);
}

/** Any thrown value as a Status: StatusErrors pass through, everything else is a 500. */
export function toStatus(e: unknown): Status {
  if (isStatusError(e)) return e.status;
  return internalError(e).status;
}
