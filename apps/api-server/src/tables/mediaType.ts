/**
 * Output media-type negotiation for resource responses, as apimachinery's
 * negotiation.NegotiateOutputMediaType does it:
 *
 * - the Accept header is parsed into clauses (type/subtype, parameters, q-values), ordered by
 *   q (highest first), then concrete types before wildcards; clauses with q=0 are refused;
 * - each clause is matched against the serializers this server has (JSON, YAML; YAML cannot
 *   stream, so watches only get JSON); the first acceptable one wins;
 * - `as=<Kind>;g=meta.k8s.io;v=v1|v1beta1` asks for a conversion: Table (what kubectl get
 *   asks for), PartialObjectMetadata or PartialObjectMetadataList (metadata-only clients).
 *   A clause asking for a conversion this server cannot make is skipped, so a fallback later in
 *   the header (kubectl always ends with plain application/json) is used instead;
 * - no Accept (or an empty one) means JSON; an Accept that nothing satisfies is 406 NotAcceptable.
 *
 *   negotiateOutput('application/json;as=Table;v=v1;g=meta.k8s.io,application/json', false)
 *   // → { serializer: 'json', target: { kind: 'Table', version: 'v1' } }
 */
import { notAcceptable } from '@kubeling/api';
import type { StatusError } from '@kubeling/api';

export interface AcceptClause {
  type: string;
  subType: string;
  /** Parameters other than q, keys lower-cased, values unquoted. */
  params: Record<string, string>;
  q: number;
}

export type Serializer = 'json' | 'yaml';

export type ConversionKind = 'Table' | 'PartialObjectMetadata' | 'PartialObjectMetadataList';

export interface ConversionTarget {
  kind: ConversionKind;
  /** meta.k8s.io version: the Table / PartialObjectMetadata apiVersion answered. */
  version: 'v1' | 'v1beta1';
}

export interface OutputMediaType {
  serializer: Serializer;
  contentType: string;
  target?: ConversionTarget;
  pretty: boolean;
}

export const metaGroup = 'meta.k8s.io';

const serializers: ReadonlyArray<{
  serializer: Serializer;
  type: string;
  subType: string;
  streams: boolean;
}> = [
  { serializer: 'json', type: 'application', subType: 'json', streams: true },
  { serializer: 'yaml', type: 'application', subType: 'yaml', streams: false },
];

/** What a 406 lists: the media types this server can write. */
export const supportedMediaTypes = ['application/json', 'application/yaml'];

const conversionKinds: readonly string[] = [
  'Table',
  'PartialObjectMetadata',
  'PartialObjectMetadataList',
];

/** Splits on `sep` outside double-quoted strings. */
function splitOutsideQuotes(text: string, sep: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '\\' && i + 1 < text.length) {
      cur += c + text[++i];
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === sep && !quoted) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  return parts;
}

function unquote(v: string): string {
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"'))
    return v.slice(1, -1).replace(/\\(.)/g, '$1');
  return v;
}

/**
 * Parses an Accept header (RFC 9110 §12.5.1) into clauses in preference order. Malformed
 * clauses are dropped; a malformed q counts as 0, as goautoneg reads it.
 */
export function parseAccept(header: string | undefined): AcceptClause[] {
  if (!header) return [];
  const clauses: AcceptClause[] = [];
  for (const raw of splitOutsideQuotes(header, ',')) {
    const [range = '', ...rawParams] = splitOutsideQuotes(raw, ';');
    const mediaRange = range.trim().toLowerCase();
    const slash = mediaRange.indexOf('/');
    if (slash <= 0 || slash === mediaRange.length - 1) continue;
    const type = mediaRange.slice(0, slash);
    const subType = mediaRange.slice(slash + 1);
    if (type === '*' && subType !== '*') continue;
    const params: Record<string, string> = {};
    let q = 1;
    for (const p of rawParams) {
      const eq = p.indexOf('=');
      const key = (eq < 0 ? p : p.slice(0, eq)).trim().toLowerCase();
      if (!key) continue;
      const value = eq < 0 ? '' : unquote(p.slice(eq + 1).trim());
      if (key === 'q') {
        const n = /^\s*(0(\.\d{0,3})?|1(\.0{0,3})?)\s*$/.test(value) ? Number(value) : 0;
        q = n;
      } else params[key] = value;
    }
    clauses.push({ type, subType, params, q });
  }
  // Highest q first; among equals, concrete types before wildcards. Array.prototype.sort is
  // stable, so clauses that tie keep the order the client wrote them in.
  const specificity = (c: AcceptClause) => (c.type === '*' ? 0 : c.subType === '*' ? 1 : 2);
  return clauses.sort((a, b) => b.q - a.q || specificity(b) - specificity(a));
}

/** acceptMediaTypeOptions: whether one clause can be served by one serializer, and how. */
function clauseOptions(
  clause: AcceptClause,
  s: (typeof serializers)[number],
  stream: boolean,
): OutputMediaType | undefined {
  const out: OutputMediaType = {
    serializer: s.serializer,
    contentType: `${s.type}/${s.subType}`,
    pretty: clause.params['pretty'] === '1',
  };
  const streamParam = clause.params['stream'];
  if (streamParam !== undefined && streamParam !== '') {
    // Only a watch may ask for a stream, only "watch", and only from a streaming serializer.
    if (!stream || streamParam !== 'watch' || !s.streams) return undefined;
  }
  const as = clause.params['as'];
  if (as !== undefined && as !== '') {
    const g = clause.params['g'];
    const v = clause.params['v'];
    if (g !== metaGroup || (v !== 'v1' && v !== 'v1beta1') || !conversionKinds.includes(as))
      return undefined;
    out.target = { kind: as as ConversionKind, version: v };
  }
  return out;
}

export function notAcceptableMediaType(): StatusError {
  return notAcceptable(supportedMediaTypes);
}

/**
 * Picks the serializer and conversion for a response. `stream` is true for watches (only
 * streaming serializers apply). Throws a 406 NotAcceptable StatusError when nothing fits.
 */
export function negotiateOutput(accept: string | undefined, stream: boolean): OutputMediaType {
  const clauses = parseAccept(accept);
  if (clauses.length === 0) {
    if (accept && accept.trim() !== '') throw notAcceptableMediaType();
    return { serializer: 'json', contentType: 'application/json', pretty: false };
  }
  for (const clause of clauses) {
    if (clause.q <= 0) continue;
    for (const s of serializers) {
      if (stream && !s.streams) continue;
      const typeMatches = clause.type === '*' || clause.type === s.type;
      const subTypeMatches = clause.subType === '*' || clause.subType === s.subType;
      if (!typeMatches || !subTypeMatches) continue;
      const opts = clauseOptions(clause, s, stream);
      if (opts) return opts;
    }
  }
  throw notAcceptableMediaType();
}
