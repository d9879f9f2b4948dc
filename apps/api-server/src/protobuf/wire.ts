/**
 * Wire-type checking before decoding. protobufjs reads a known field with whatever wire type
 * arrives (a varint where a message belongs is read as a length), which turns malformed input
 * into silently wrong objects; gogo's generated Unmarshal refuses it ("proto: wrong wireType =
 * 0 for field Name"). This walk gives the same refusal, naming fields as Go does (the JSON name
 * capitalized, which is the Go field name for nearly all of them).
 */
import protobuf from 'protobufjs';
import type { FieldDef } from './fields';
import { isScalar } from './fields';
import { messageDef } from './kinds';

const VARINT = 0;
const BYTES = 2;

/** Go field names that are not the capitalized JSON name. */
const goNames: Readonly<Record<string, string>> = { metadata: 'ObjectMeta' };

function goName(field: string): string {
  return goNames[field] ?? field.charAt(0).toUpperCase() + field.slice(1);
}

function wireTypeOf(type: string): number {
  return type === 'int32' || type === 'int64' || type === 'bool' ? VARINT : BYTES;
}

function byNumber(name: string): Map<number, [string, FieldDef]> {
  const out = new Map<number, [string, FieldDef]>();
  for (const [field, f] of Object.entries(messageDef(name))) out.set(f.id, [field, f]);
  return out;
}

const cache = new Map<string, Map<number, [string, FieldDef]>>();

function fieldsOf(name: string): Map<number, [string, FieldDef]> {
  let m = cache.get(name);
  if (!m) cache.set(name, (m = byNumber(name)));
  return m;
}

/** The bytes of a length-delimited field, leaving the reader after them. */
function delimited(r: protobuf.Reader): Uint8Array {
  const len = r.uint32();
  const start = r.pos;
  if (start + len > r.len) throw new RangeError(`index out of range: ${start} + ${len} > ${r.len}`);
  r.pos = start + len;
  return r.buf.subarray(start, start + len);
}

function checkEntry(buf: Uint8Array, valueType: string, field: string): void {
  const r = protobuf.Reader.create(buf);
  while (r.pos < r.len) {
    const tag = r.uint32();
    const id = tag >>> 3;
    const wt = tag & 7;
    if (id === 1 || id === 2) {
      const want = id === 1 ? BYTES : wireTypeOf(valueType);
      if (wt !== want) throw new Error(`proto: wrong wireType = ${wt} for field ${goName(field)}`);
      if (wt === BYTES) {
        const sub = delimited(r);
        if (id === 2 && !isScalar(valueType)) checkWireTypes(sub, valueType);
      } else r.skipType(wt);
    } else r.skipType(wt);
  }
}

/**
 * Throws an Error with gogo's wording when a known field of `message` (or of anything inside
 * it) arrives with the wrong wire type or a zero field number, and a RangeError when a length
 * runs past the end. Unknown fields are skipped, as gogo skips them.
 */
export function checkWireTypes(buf: Uint8Array, message: string): void {
  const fields = fieldsOf(message);
  const local = message.slice(message.indexOf('.') + 1);
  const r = protobuf.Reader.create(buf);
  while (r.pos < r.len) {
    const tag = r.uint32();
    const id = tag >>> 3;
    const wt = tag & 7;
    if (id === 0) throw new Error(`proto: ${local}: illegal tag 0 (wire type ${wt})`);
    if (wt === 4) throw new Error(`proto: ${local}: wiretype end group for non-group`);
    const known = fields.get(id);
    if (!known) {
      r.skipType(wt);
      continue;
    }
    const [field, f] = known;
    const want = f.rule === 'map' ? BYTES : wireTypeOf(f.type);
    // A repeated varint may also come packed (one length-delimited run); decoders accept both.
    const packed = f.rule === 'list' && want === VARINT && wt === BYTES;
    if (wt !== want && !packed)
      throw new Error(`proto: wrong wireType = ${wt} for field ${goName(field)}`);
    if (wt !== BYTES) {
      r.skipType(wt);
      continue;
    }
    const sub = delimited(r);
    if (f.rule === 'map') checkEntry(sub, f.type, field);
    else if (!isScalar(f.type)) checkWireTypes(sub, f.type);
  }
}
