/**
 * Errors of the patch machinery, shaped as the api-server reports them: the few malformed-patch
 * errors its patch handler recognises are 400 or 422, anything else reaches the client as a 500
 * Status with no reason, which kubectl prints as `Error from server: <message>`.
 */
import { badRequest, StatusError, statusFailure } from '../meta/status';

/** Go's `%v` of a decoded JSON value: `map[a:1 b:[x y]]`, as upstream's messages embed them. */
export function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `map[${Object.keys(o)
      .sort()
      .map((k) => `${k}:${goValue(o[k])}`)
      .join(' ')}]`;
  }
  return String(v);
}

/** A non-Status error of the api-server: 500, no reason. */
export function serverError(message: string): StatusError {
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    code: 500,
  });
}

/** mergepatch errors the patch handler turns into 400 BadRequest. */
export const badPatch = {
  primitiveList: () => badRequest('invalid patch format of primitive list'),
  retainKeys: () => badRequest('invalid patch format of retainKeys'),
  setElementOrder: () => badRequest('invalid patch format of setElementOrder list'),
};

/** mergepatch errors the patch handler turns into 422. */
export function unprocessablePatch(message: string): StatusError {
  return statusFailure(
    'Invalid',
    'the server rejected our request due to an error in our request',
    { causes: [{ reason: 'UnexpectedServerResponse', message }] },
  );
}

export function noMergeKey(item: unknown, key: string): StatusError {
  return serverError(`map: ${goValue(item)} does not contain declared merge key: ${key}`);
}
