/**
 * Lists whose items' JSON is already known. The api-server's watch cache keeps each object's
 * UTF-8 JSON beside it, so a LIST of 500 unchanged pods need not serialize 500 pods again: the
 * list carries the items' bytes under a hidden key, and `encodeJsonBytes` copies them into the
 * body. (Splicing JSON *strings* saves nothing: V8's JSON.stringify is as fast as joining the
 * strings; what costs is serializing plus converting to UTF-8, and a copy of bytes does neither.)
 *
 *   const list = withEncodedItems({ kind: 'PodList', apiVersion: 'v1', metadata, items }, bytes);
 *   encodeJsonBytes(list);                    // the bytes of JSON.stringify(list), items copied
 *   encodeJsonBytes({ code: 200, body: list }); // also one level down (NATS replies)
 *
 * The hidden key is a non-enumerable symbol: JSON.stringify, spreads, YAML and Table conversion
 * never see it and work on `items` as before; a copy (`{ ...list, items }`) drops it, so a
 * changed list can never be written with stale JSON. `bytes[i]` must be the UTF-8 of
 * JSON.stringify(items[i]).
 */
import { Buffer } from 'node:buffer';

const encodedItems = Symbol('kubeling.encodedItems');

interface WithItems {
  items: unknown[];
}

export function withEncodedItems<T extends WithItems>(list: T, encoded: Uint8Array[]): T {
  if (encoded.length !== list.items.length)
    throw new Error(`withEncodedItems: ${encoded.length} encodings for ${list.items.length} items`);
  Object.defineProperty(list, encodedItems, { value: encoded, enumerable: false });
  return list;
}

function itemsOf(value: unknown): Uint8Array[] | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const encoded = (value as { [encodedItems]?: Uint8Array[] })[encodedItems];
  // Only while `items` still has as many entries as when the JSON was attached.
  if (!encoded || (value as WithItems).items?.length !== encoded.length) return undefined;
  return encoded;
}

const comma = Buffer.from(',');
const open = Buffer.from('[');
const close = Buffer.from(']');

/** The UTF-8 bytes of JSON.stringify(value), copying a list's attached item bytes (top level or one down). */
export function encodeJsonBytes(value: unknown): Buffer {
  const parts: Uint8Array[] = [];
  write(value, parts, 1);
  return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
}

function write(value: unknown, parts: Uint8Array[], depth: number): void {
  const items = itemsOf(value);
  if (items) {
    writeObject(value as Record<string, unknown>, parts, (k, v) => {
      if (k !== 'items') return false;
      parts.push(open);
      items.forEach((b, i) => {
        if (i > 0) parts.push(comma);
        parts.push(b);
      });
      parts.push(close);
      void v;
      return true;
    });
    return;
  }
  if (
    depth > 0 &&
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.values(value).some((v) => itemsOf(v))
  ) {
    writeObject(value as Record<string, unknown>, parts, (_k, v) => {
      write(v, parts, depth - 1);
      return true;
    });
    return;
  }
  parts.push(Buffer.from(JSON.stringify(value) ?? 'null'));
}

/** `{"k":v,...}`: `custom` writes a value itself (true) or leaves it to JSON.stringify (false). */
function writeObject(
  obj: Record<string, unknown>,
  parts: Uint8Array[],
  custom: (k: string, v: unknown) => boolean,
): void {
  let first = true;
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    parts.push(Buffer.from(`${first ? '{' : ','}${JSON.stringify(k)}:`));
    first = false;
    if (!custom(k, v)) parts.push(Buffer.from(JSON.stringify(v)));
  }
  parts.push(Buffer.from(first ? '{}' : '}'));
}
