/**
 * The way back: a JSON object → the plain object protobufjs encodes, with the conventions of
 * toJson.ts reversed (RFC 3339 → seconds/nanos, `25%` → IntOrString{type: 1}, base64 → bytes).
 * What kubectl's typed clients do when they send protobuf; used to build test bodies and by
 * anything that needs to speak protobuf to a client.
 */
import { isScalar } from './fields';
import { messageDef } from './kinds';

type Plain = Record<string, unknown>;

function asObject(v: unknown, where: string): Plain {
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw new TypeError(`${where}: expected an object`);
  return v as Plain;
}

/** RFC 3339 → {seconds, nanos}; the fraction is read from the text, so microseconds survive. */
function timeFromJson(v: unknown): Plain {
  if (typeof v !== 'string') throw new TypeError('Time: expected a string');
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) throw new TypeError(`Time: cannot parse ${JSON.stringify(v)}`);
  const frac = /\.(\d+)/.exec(v)?.[1] ?? '';
  const nanos = Number(frac.slice(0, 9).padEnd(9, '0'));
  return { seconds: Math.floor(ms / 1000), nanos };
}

const durationUnits: Record<string, bigint> = {
  ns: 1n,
  us: 1000n,
  µs: 1000n,
  μs: 1000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

/** time.ParseDuration for the forms Go prints (`1h2m3.5s`, `-1.5ms`). */
export function parseGoDuration(text: string): bigint {
  const m = /^([-+]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/.exec(text);
  if (text === '0') return 0n;
  if (!m) throw new TypeError(`time: invalid duration ${JSON.stringify(text)}`);
  let total = 0n;
  for (const part of text.matchAll(/(\d+)?(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/g)) {
    const unit = durationUnits[part[3] ?? ''] ?? 1n;
    const frac = part[2] ?? '';
    total += BigInt(part[1] ?? '0') * unit;
    if (frac) total += (BigInt(frac) * unit) / 10n ** BigInt(frac.length);
  }
  return m[1] === '-' ? -total : total;
}

function scalarFromJson(type: string, v: unknown): unknown {
  switch (type) {
    case 'bytes':
      if (typeof v !== 'string') throw new TypeError('bytes: expected a base64 string');
      return Buffer.from(v, 'base64');
    case 'string':
      return String(v);
    case 'bool':
      return Boolean(v);
    default:
      return Number(v);
  }
}

export function jsonToMessage(name: string, v: unknown): unknown {
  switch (name) {
    case 'meta.Time':
    case 'meta.MicroTime':
      return timeFromJson(v);
    case 'meta.Duration':
      return { duration: Number(parseGoDuration(String(v))) };
    case 'intstr.IntOrString':
      return typeof v === 'number' ? { type: 0, intVal: v } : { type: 1, strVal: String(v) };
    case 'resource.Quantity':
      return { string: String(v) };
    case 'meta.FieldsV1':
      return { Raw: Buffer.from(JSON.stringify(v)) };
    case 'runtime.RawExtension':
      return { raw: Buffer.from(JSON.stringify(v)) };
  }
  const out: Plain = {};
  readFields(name, asObject(v, name), out);
  return out;
}

function valueFromJson(type: string, v: unknown): unknown {
  return isScalar(type) ? scalarFromJson(type, v) : jsonToMessage(type, v);
}

function readFields(name: string, j: Plain, out: Plain): void {
  for (const [field, f] of Object.entries(messageDef(name))) {
    if (f.rule === 'inline') {
      const sub: Plain = {};
      readFields(f.type, j, sub);
      if (Object.keys(sub).length) out[field] = sub;
      continue;
    }
    const v = j[field];
    if (v === undefined || v === null) continue;
    if (f.rule === 'list') {
      if (!Array.isArray(v)) throw new TypeError(`${name}.${field}: expected an array`);
      out[field] = v.map((e) => valueFromJson(f.type, e));
    } else if (f.rule === 'map') {
      out[field] = Object.fromEntries(
        Object.entries(asObject(v, `${name}.${field}`)).map(([k, e]) => [
          k,
          valueFromJson(f.type, e),
        ]),
      );
    } else {
      out[field] = valueFromJson(f.type, v);
    }
  }
}
