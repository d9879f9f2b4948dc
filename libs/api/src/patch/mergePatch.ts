/**
 * JSON Merge Patch (RFC 7386, `application/merge-patch+json`): objects merge key by key, `null`
 * deletes a key, anything else (lists included) replaces. The api-server's merge patches and the
 * client's fake api-server both use this one implementation.
 *
 *   mergePatch({ a: 1, b: { c: 2 } }, { b: { c: null, d: 3 } });   // { a: 1, b: { d: 3 } }
 */
import { isObject } from './types';

/** Applies `patch` to `target`; neither is modified (unpatched values are shared, not copied). */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    // defineProperty: a key named `__proto__` is data here, not the object's prototype.
    else
      Object.defineProperty(out, k, {
        value: mergePatch(out[k], v),
        enumerable: true,
        writable: true,
        configurable: true,
      });
  }
  return out;
}
