/**
 * A decoded protobuf message → the JSON object the same Go struct would marshal to, so that
 * the rest of the api-server sees exactly what a JSON body would have carried:
 *
 * - value fields tagged `omitempty` lose their zero value; pointers keep anything sent; value
 *   fields without `omitempty` are written even when zero (fields.ts `Presence`);
 * - value structs are always written (`omitempty` does not apply to structs in Go), pointers
 *   only when sent;
 * - metav1.Time is RFC 3339 with seconds (`2024-05-01T10:00:00Z`), its zero value absent;
 *   MicroTime has six fractional digits; metav1.Duration is Go's duration string (`1h0m0s`);
 * - IntOrString is a number or a string, Quantity its string, `bytes` standard base64
 *   (Secret.data, ConfigMap.binaryData), FieldsV1 and RawExtension their embedded JSON.
 *
 * Throws a plain Error for values Go could not represent; the caller turns it into a 400.
 */
import { isScalar } from './fields';
import { messageDef } from './kinds';

type Decoded = Record<string, unknown>;

function has(m: Decoded, field: string): boolean {
  return Object.prototype.hasOwnProperty.call(m, field) && m[field] !== undefined;
}

/** protobufjs hands out int64 as a number or as a Long ({low, high}); both become a BigInt. */
export function int64Of(v: unknown): bigint {
  if (typeof v === 'number') return BigInt(Math.trunc(v));
  if (typeof v === 'bigint') return v;
  if (v !== null && typeof v === 'object' && 'low' in v && 'high' in v) {
    const { low, high } = v as { low: number; high: number };
    return BigInt.asIntN(64, (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0));
  }
  return 0n;
}

function bytesOf(v: unknown): Buffer {
  return v instanceof Uint8Array
    ? Buffer.from(v.buffer, v.byteOffset, v.byteLength)
    : Buffer.alloc(0);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Time.MarshalJSON / MicroTime.MarshalJSON: UTC, RFC 3339, seconds or microseconds. */
function timeJson(m: Decoded, micro: boolean): string | undefined {
  // An empty Time message is the zero time.Time (Time.Unmarshal), which marshals as null.
  if (!has(m, 'seconds') && !has(m, 'nanos')) return undefined;
  const seconds = int64Of(m.seconds);
  const nanos = Number(m.nanos ?? 0);
  const d = new Date(Number(seconds) * 1000);
  const year = d.getUTCFullYear();
  if (Number.isNaN(d.getTime()) || year < 0 || year > 9999)
    throw new Error('Time.MarshalJSON: year outside of range [0,9999]');
  const base =
    `${pad(year, 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}` +
    `T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
  if (!micro) return `${base}Z`;
  return `${base}.${pad(Math.floor(Math.max(nanos, 0) / 1000) % 1_000_000, 6)}Z`;
}

/** `v` units of `unit` as Go prints them: the integer part, then a fraction without trailing zeros. */
function fraction(v: bigint, unit: bigint): string {
  const whole = v / unit;
  const rest = v % unit;
  if (rest === 0n) return String(whole);
  const digits = String(unit).length - 1;
  return `${whole}.${String(rest).padStart(digits, '0').replace(/0+$/, '')}`;
}

/** time.Duration.String: `1h2m3.5s`, `1.5ms`, `0s`. */
export function goDuration(ns: bigint): string {
  if (ns === 0n) return '0s';
  const sign = ns < 0n ? '-' : '';
  let u = ns < 0n ? -ns : ns;
  if (u < 1000n) return `${sign}${u}ns`;
  if (u < 1_000_000n) return `${sign}${fraction(u, 1000n)}µs`;
  if (u < 1_000_000_000n) return `${sign}${fraction(u, 1_000_000n)}ms`;
  const hours = u / 3_600_000_000_000n;
  u %= 3_600_000_000_000n;
  const minutes = u / 60_000_000_000n;
  u %= 60_000_000_000n;
  const seconds = `${fraction(u, 1_000_000_000n)}s`;
  if (hours > 0n) return `${sign}${hours}h${minutes}m${seconds}`;
  if (minutes > 0n) return `${sign}${minutes}m${seconds}`;
  return `${sign}${seconds}`;
}

function rawJson(raw: unknown, what: string): unknown {
  const b = bytesOf(raw);
  if (!b.length) return undefined;
  try {
    return JSON.parse(b.toString('utf8')) as unknown;
  } catch (e) {
    throw new Error(`${what}: ${(e as Error).message}`);
  }
}

/** JSON of a message; undefined where Go writes null (a zero Time, an empty FieldsV1). */
export function messageToJson(name: string, m: Decoded): unknown {
  switch (name) {
    case 'meta.Time':
      return timeJson(m, false);
    case 'meta.MicroTime':
      return timeJson(m, true);
    case 'meta.Duration':
      return goDuration(int64Of(m.duration));
    case 'intstr.IntOrString': {
      const type = int64Of(m.type);
      if (type === 0n) return Number(m.intVal ?? 0);
      if (type === 1n) return String(m.strVal ?? '');
      throw new Error('impossible IntOrString.Type');
    }
    case 'resource.Quantity':
      // A Quantity message without its string is the zero Quantity, "0" in JSON.
      return has(m, 'string') ? String(m.string) : '0';
    case 'meta.FieldsV1':
      return rawJson(m.Raw, 'FieldsV1');
    case 'runtime.RawExtension':
      return rawJson(m.raw, 'RawExtension');
  }
  const out: Record<string, unknown> = {};
  writeFields(name, m, out);
  return out;
}

function scalarToJson(type: string, v: unknown): unknown {
  switch (type) {
    case 'int64':
      return Number(int64Of(v));
    case 'bytes':
      return bytesOf(v).toString('base64');
    case 'int32':
      return Number(v);
    case 'bool':
      return Boolean(v);
    default:
      return String(v);
  }
}

function zeroOf(type: string): unknown {
  switch (type) {
    case 'int32':
    case 'int64':
      return 0;
    case 'bool':
      return false;
    default:
      return '';
  }
}

function isZero(v: unknown): boolean {
  return v === '' || v === 0 || v === false;
}

function valueToJson(type: string, v: unknown): unknown {
  return isScalar(type) ? scalarToJson(type, v) : messageToJson(type, (v ?? {}) as Decoded);
}

function writeFields(name: string, m: Decoded, out: Record<string, unknown>): void {
  for (const [field, f] of Object.entries(messageDef(name))) {
    const v = m[field];
    switch (f.rule) {
      case 'inline':
        // An embedded struct: its fields land in the parent, as encoding/json flattens them.
        writeFields(f.type, (has(m, field) ? v : {}) as Decoded, out);
        break;
      case 'list': {
        const items = Array.isArray(v) ? v : [];
        // An empty slice and a nil slice both arrive as "nothing on the wire"; Go writes null.
        if (items.length) out[field] = items.map((e) => valueToJson(f.type, e));
        break;
      }
      case 'map': {
        const entries = v !== null && typeof v === 'object' ? Object.entries(v) : [];
        if (entries.length)
          out[field] = Object.fromEntries(entries.map(([k, e]) => [k, valueToJson(f.type, e)]));
        break;
      }
      default: {
        const present = has(m, field);
        if (!isScalar(f.type)) {
          if (!present && f.presence === 'ptr') break;
          const j = messageToJson(f.type, (present ? v : {}) as Decoded);
          if (j !== undefined) out[field] = j;
          break;
        }
        if (!present) {
          if (f.presence === 'req') out[field] = zeroOf(f.type);
          break;
        }
        const j = scalarToJson(f.type, v);
        if (f.presence === 'omitempty' && isZero(j)) break;
        out[field] = j;
      }
    }
  }
}
