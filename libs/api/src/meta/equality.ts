/**
 * Deep equality of JSON values regardless of object key order (apimachinery's
 * equality.Semantic for plain JSON): stored objects and freshly decoded ones list the same
 * fields in different orders, and that must not count as a change.
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  // A member set to undefined is absent in JSON.
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => deepEqual(ao[k], bo[k]));
}

function isGoZero(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === 0 || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v).length === 0;
  return false;
}

/**
 * apiequality.Semantic.DeepEqual on decoded JSON: absent, null and Go zero values compare
 * equal (empty and nil slices and maps do in Go too). For comparing what Go would decode
 * alike (templates, selectors); `deepEqual` is exact JSON equality.
 */
export function semanticEqual(a: unknown, b: unknown): boolean {
  if (isGoZero(a) && isGoZero(b)) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => semanticEqual(x, b[i]));
  if (
    a !== null &&
    b !== null &&
    typeof a === 'object' &&
    typeof b === 'object' &&
    !Array.isArray(a) &&
    !Array.isArray(b)
  ) {
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    for (const k of new Set([...Object.keys(ao), ...Object.keys(bo)]))
      if (!semanticEqual(ao[k], bo[k])) return false;
    return true;
  }
  return a === b;
}
