/**
 * Errors of the patch machinery. A patch that cannot be applied is the client's fault, so every
 * one of them is a 4xx Status: the messages are apimachinery's (mergepatch, strategicpatch,
 * structured-merge-diff), the codes are not always. Upstream's patch handler recognises only a
 * few malformed-patch errors (400 or 422) and answers the rest — a list item without its merge
 * key, an unknown `$patch` directive, list items of mixed types, an undeclared field in an apply
 * configuration — with a plain 500; kubeling answers those 400 BadRequest with the same message.
 */
import type { StatusError } from '../meta/status';
import { badRequest, statusFailure } from '../meta/status';

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

/** A malformed patch: 400 BadRequest with upstream's message. */
export function badPatch(message: string): StatusError {
  return badRequest(message);
}

/** mergepatch's named format errors. */
export const badPatchFormat = {
  primitiveList: () => badPatch('invalid patch format of primitive list'),
  retainKeys: () => badPatch('invalid patch format of retainKeys'),
  setElementOrder: () => badPatch('invalid patch format of setElementOrder list'),
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
  return badPatch(`map: ${goValue(item)} does not contain declared merge key: ${key}`);
}

/** mergepatch.ErrBadPatchType: a `$patch` directive that is not replace, delete or merge. */
export function unknownPatchType(directive: unknown, where: unknown): StatusError {
  return badPatch(`unknown patch type: ${goValue(directive)} in map: ${goValue(where)}`);
}
