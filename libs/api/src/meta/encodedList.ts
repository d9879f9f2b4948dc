/**
 * Lists whose items' JSON is already known. The api-server's watch cache keeps each object's
 * JSON beside it, so a LIST of 500 unchanged pods need not serialize 500 pods again: the list
 * carries the items' JSON under a hidden key, and `encodeJson` splices it into the body.
 *
 *   const list = withEncodedItems({ kind: 'PodList', apiVersion: 'v1', metadata, items }, jsons);
 *   encodeJson(list) === JSON.stringify(list);           // same text, without re-serializing items
 *   encodeJson({ code: 200, body: list });               // also one level down (NATS replies)
 *
 * The hidden key is a non-enumerable symbol: JSON.stringify, spreads, YAML and Table conversion
 * never see it and work on `items` as before; a copy (`{ ...list, items }`) drops it, so a
 * changed list can never be written with stale JSON. `jsons[i]` must be JSON.stringify(items[i]).
 */
const encodedItems = Symbol('kubeling.encodedItems');

interface WithItems {
  items: unknown[];
}

export function withEncodedItems<T extends WithItems>(list: T, jsons: string[]): T {
  if (jsons.length !== list.items.length)
    throw new Error(`withEncodedItems: ${jsons.length} encodings for ${list.items.length} items`);
  Object.defineProperty(list, encodedItems, { value: jsons, enumerable: false });
  return list;
}

function itemsJsonOf(value: unknown): string[] | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const jsons = (value as { [encodedItems]?: string[] })[encodedItems];
  // Only while `items` still has as many entries as when the JSON was attached.
  if (!jsons || (value as WithItems).items?.length !== jsons.length) return undefined;
  return jsons;
}

/** JSON.stringify of `value`, splicing in the items' JSON of a list (at the top or one level down). */
export function encodeJson(value: unknown): string {
  const jsons = itemsJsonOf(value);
  if (jsons) return encodeList(value as Record<string, unknown>, jsons);
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return JSON.stringify(value);
  const fields = Object.entries(value as Record<string, unknown>);
  if (!fields.some(([, v]) => itemsJsonOf(v))) return JSON.stringify(value);
  return encodeObject(fields, (v) => encodeJson(v));
}

function encodeList(list: Record<string, unknown>, jsons: string[]): string {
  return encodeObject(Object.entries(list), (v, k) =>
    k === 'items' ? `[${jsons.join(',')}]` : JSON.stringify(v),
  );
}

/** `{"k":v,...}` with each value written by `write`, skipping what JSON.stringify skips. */
function encodeObject(
  fields: [string, unknown][],
  write: (v: unknown, k: string) => string | undefined,
): string {
  const parts: string[] = [];
  for (const [k, v] of fields) {
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    const text = write(v, k);
    if (text !== undefined) parts.push(`${JSON.stringify(k)}:${text}`);
  }
  return `{${parts.join(',')}}`;
}
