/**
 * Resource quantities (apimachinery `resource.Quantity`): `500m`, `128Mi`, `1G`, `2e3`, `0.5`.
 *
 *   canonicalQuantity('0.5');      // '500m'
 *   canonicalQuantity('1.5Gi');    // '1536Mi'
 *   milliValue('250m');            // 250n
 *   compareQuantities('1Gi', '1G') // 1
 *
 * A quantity is held as an exact bigint count of nano-units (10^-9): ParseQuantity keeps
 * nothing finer, rounding a finer non-zero value away from zero ("0.9n" → 1n), so no float is
 * ever involved. The canonical text is Quantity.String(): the input itself when the parser's
 * fast path found it already canonical (so "1e3", "129e6" and even "+1" are kept as written),
 * otherwise the largest suffix that loses nothing, in the format (SI, binary, exponent) the
 * input used.
 */
import { z } from 'zod';
import { badRequest } from './status';

/** resource.ErrFormatWrong: the text Kubernetes gives for an unparsable quantity. */
export const quantityFormatError =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
/** resource.ErrNumeric. */
export const quantityNumericError = 'unable to parse numeric part of quantity';
/** resource.ErrSuffix. */
export const quantitySuffixError = "unable to parse quantity's suffix";

/**
 * Marker in a zod issue's `params` for errors the api-server reports while *decoding* the body
 * (400 `<Kind> in version "v1" cannot be handled as a <Kind>: <message>`), not while validating.
 */
export const decodeErrorParam = 'kubelingDecodeError';

export interface ParsedQuantity {
  /** The value in milli-units (rounded up, as Quantity.MilliValue does). */
  milli: bigint;
  format: 'DecimalSI' | 'BinarySI' | 'DecimalExponent';
  /** The exact value in nano-units, the finest precision a Quantity keeps. */
  nano: bigint;
  /** Quantity.String(): what the api-server stores and prints. */
  string: string;
}

type Format = ParsedQuantity['format'];

/** The outcome of resource.ParseQuantity: a quantity, or one of its three errors. */
type Parse = { ok: true; q: ParsedQuantity } | { ok: false; error: string };

const NANO_PER_UNIT = 1_000_000_000n;
/** A BinarySI quantity is capped here on parse (2^63-1), silently, as upstream does. */
const MAX_BINARY = 9223372036854775807n;
/** Exponents beyond this are refused rather than expanded into gigantic bigints. */
const MAX_EXPONENT = 1000;

const decimalSuffixes: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const binarySuffixes: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const decimalSuffixOf = new Map(Object.entries(decimalSuffixes).map(([s, e]) => [e, s]));
const binarySuffixByPower = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

interface Scanned {
  positive: boolean;
  /** The signed number before the suffix, as written (`-1.5`), for the slow path's decimal parser. */
  value: string;
  /** Digits before the point with leading zeros stripped ("0" when none are left). */
  num: string;
  denom: string;
  suffix: string;
}

/** parseQuantityString: sign, numerator, denominator, suffix (letters, then an optional signed exponent). */
function scan(str: string): Scanned | undefined {
  let positive = true;
  let pos = 0;
  const end = str.length;
  if (str[0] === '-') {
    positive = false;
    pos++;
  } else if (str[0] === '+') {
    pos++;
  }
  while (pos < end && str[pos] === '0') pos++;
  if (pos >= end) return { positive, value: '0', num: '0', denom: '', suffix: '' };
  const numStart = pos;
  while (pos < end && isDigit(str[pos])) pos++;
  if (pos >= end) return { positive, value: str, num: str.slice(numStart), denom: '', suffix: '' };
  const num = str.slice(numStart, pos) || '0';
  let denom = '';
  if (str[pos] === '.') {
    pos++;
    const denomStart = pos;
    while (pos < end && isDigit(str[pos])) pos++;
    denom = str.slice(denomStart, pos);
    if (pos >= end) return { positive, value: str, num, denom, suffix: '' };
  }
  const value = str.slice(0, pos);
  const suffixStart = pos;
  while (pos < end && 'eEinumkKMGTP'.includes(str[pos] as string)) pos++;
  if (pos < end && (str[pos] === '-' || str[pos] === '+')) pos++;
  while (pos < end && isDigit(str[pos])) pos++;
  // Anything left over is neither digit nor suffix: not a quantity.
  if (pos < end) return undefined;
  return { positive, value, num, denom, suffix: str.slice(suffixStart) };
}

/** suffixer.interpret: SI and binary suffixes by table, else `e`/`E` and a signed integer. */
function interpret(suffix: string): { base: 10 | 2; exponent: number; format: Format } | undefined {
  const dec = decimalSuffixes[suffix];
  if (dec !== undefined) return { base: 10, exponent: dec, format: 'DecimalSI' };
  const bin = binarySuffixes[suffix];
  if (bin !== undefined) return { base: 2, exponent: bin, format: 'BinarySI' };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E')) {
    const exp = suffix.slice(1);
    if (!/^[+-]?[0-9]+$/.test(exp)) return undefined;
    const n = Number(exp);
    if (Math.abs(n) > MAX_EXPONENT) return undefined;
    return { base: 10, exponent: n, format: 'DecimalExponent' };
  }
  return undefined;
}

const pow10 = (n: number): bigint => 10n ** BigInt(n);

/** Integer division rounding away from zero (inf.RoundUp on a magnitude). */
function divAwayFromZero(n: bigint, d: bigint): bigint {
  const q = n / d;
  return n % d === 0n ? q : n < 0n ? q - 1n : q + 1n;
}

function parse(str: string): Parse {
  if (str.length === 0) return { ok: false, error: quantityFormatError };
  if (str === '0') return { ok: true, q: build(0n, 'DecimalSI', str) };
  const s = scan(str);
  if (!s) return { ok: false, error: quantityFormatError };
  const suffix = interpret(s.suffix);
  if (!suffix) return { ok: false, error: quantitySuffixError };
  let { format } = suffix;
  const { base, exponent } = suffix;

  // The int64 fast path of ParseQuantity. Its value equals the slow path's; what it adds is
  // keeping the input text when that text is already canonical.
  let precision: number;
  if (format === 'BinarySI') {
    precision = s.denom.length === 0 ? 15 - s.num.length - Math.trunc((exponent * 3) / 10) - 1 : -1;
  } else {
    precision = 18 - (s.num.length + s.denom.length);
  }
  const scale = (format === 'BinarySI' ? 0 : exponent) - s.denom.length;
  const fastPath = precision >= 0 && scale >= -9;
  if (!fastPath && !/[0-9]/.test(s.value)) return { ok: false, error: quantityNumericError };

  // value = ±N × 10^-len(denom) × base^exponent, in nano-units, rounded away from zero.
  const digits = BigInt(s.num + s.denom);
  const numerator = base === 2 ? digits << BigInt(exponent) : digits;
  let tens = 9 - s.denom.length + (base === 10 ? exponent : 0);
  // Far below a nano every non-zero value rounds to exactly 1n; no need for a huge divisor.
  tens = Math.max(tens, -(s.num.length + s.denom.length + 2));
  let nano = tens >= 0 ? numerator * pow10(tens) : divAwayFromZero(numerator, pow10(-tens));
  if (format === 'BinarySI' && nano > MAX_BINARY * NANO_PER_UNIT) nano = MAX_BINARY * NANO_PER_UNIT;
  // A binary quantity strictly between 0 and 1 has no binary spelling.
  if (format === 'BinarySI' && nano > 0n && nano < NANO_PER_UNIT) format = 'DecimalSI';
  if (!s.positive) nano = -nano;

  let cached: string | undefined;
  if (fastPath) {
    const shifted = s.num + s.denom;
    const keep =
      format === 'BinarySI'
        ? exponent % 10 === 0 && Number(BigInt(shifted) & 7n) !== 0
        : scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
    if (keep) cached = str;
  }
  return { ok: true, q: build(nano, format, cached) };
}

function build(nano: bigint, format: Format, cached: string | undefined): ParsedQuantity {
  return {
    nano,
    format,
    milli: divAwayFromZero(nano, 1_000_000n),
    string: cached ?? canonicalize(nano, format),
  };
}

/** CanonicalizeBytes: no fractional digits, the largest exponent that loses nothing. */
function canonicalize(nano: bigint, format: Format): string {
  if (nano === 0n) return '0';
  const sign = nano < 0n ? '-' : '';
  const abs = nano < 0n ? -nano : nano;
  if (format === 'BinarySI') {
    // Small or fractional values would need rounding as binary; they print as DecimalSI instead.
    if (abs >= 1024n * NANO_PER_UNIT && abs % NANO_PER_UNIT === 0n) {
      let m = abs / NANO_PER_UNIT;
      let power = 0;
      while (m % 1024n === 0n && power < binarySuffixByPower.length - 1) {
        m /= 1024n;
        power++;
      }
      return `${sign}${m}${binarySuffixByPower[power]}`;
    }
    format = 'DecimalSI';
  }
  let m = abs;
  let e = -9;
  while (m % 10n === 0n) {
    m /= 10n;
    e++;
  }
  // The exponent comes down to a multiple of three, the mantissa taking the difference.
  while (e % 3 !== 0) {
    m *= 10n;
    e--;
  }
  if (format === 'DecimalSI') {
    const suffix = decimalSuffixOf.get(e);
    // Beyond E (10^18) there is no SI suffix; upstream falls back to exponent notation.
    if (suffix !== undefined) return `${sign}${m}${suffix}`;
  }
  return e === 0 ? `${sign}${m}` : `${sign}${m}e${e}`;
}

/** Parses a quantity; returns undefined when the text is not a valid quantity. */
export function parseQuantity(text: string): ParsedQuantity | undefined {
  const r = parse(text);
  return r.ok ? r.q : undefined;
}

/** resource.ParseQuantity's error text for `text`, or undefined when it is a valid quantity. */
export function quantityError(text: string): string | undefined {
  const r = parse(text);
  return r.ok ? undefined : r.error;
}

function mustParse(text: string): ParsedQuantity {
  const r = parse(text);
  if (!r.ok) throw badRequest(r.error);
  return r.q;
}

/** Canonical form as the api-server prints it (`1500m` → `1500m`, `1.5` → `1500m`, `1024Ki` → `1Mi`). */
export function canonicalQuantity(text: string): string {
  return mustParse(text).string;
}

/** Milli-value of a quantity string (e.g. cpu 0.5 → 500n); throws on invalid input. */
export function milliValue(text: string): bigint {
  return mustParse(text).milli;
}

/** Value rounded up to a whole unit (e.g. memory bytes); throws on invalid input. */
export function value(text: string): bigint {
  return divAwayFromZero(mustParse(text).nano, NANO_PER_UNIT);
}

export function compareQuantities(a: string, b: string): -1 | 0 | 1 {
  const x = mustParse(a).nano;
  const y = mustParse(b).nano;
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * A quantity as written in manifests: a string, or a bare number that Kubernetes turns into one.
 * Decoding canonicalizes it as the api-server's round trip through resource.Quantity does
 * (`cpu: 0.5` is stored as `500m`); surrounding spaces are trimmed as Quantity.UnmarshalJSON
 * does. An invalid quantity is an issue marked with `decodeErrorParam`, since upstream rejects
 * it while decoding (400), not in validation.
 */
export const Quantity = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const r = parse(String(v).trim());
  if (r.ok) return r.q.string;
  ctx.addIssue({
    code: z.ZodIssueCode.custom,
    message: r.error,
    params: { [decodeErrorParam]: true },
  });
  return z.NEVER;
});
export type Quantity = z.infer<typeof Quantity>;
