/**
 * Field selectors (apimachinery `fields`): `metadata.name=x,spec.nodeName!=y`, `==` too.
 * Only equality and inequality exist for fields.
 *
 *   const sel = parseFieldSelector('involvedObject.name=web,involvedObject.namespace=default');
 *   checkFieldSelectorSupported(eventsInfo, sel);      // 400 for a field the kind cannot select on
 *   sel.matches(selectableFields(eventsInfo, event));
 *
 * Values escape `\`, `,` and `=` with a backslash (fields.EscapeValue); the field name is taken
 * up to the first operator and is never unescaped, as upstream does.
 */
import type { KubeObject } from './objectMeta';
import { badRequest } from './status';
import type { KindInfo } from '../scheme';

export interface FieldRequirement {
  field: string;
  operator: '=' | '!=';
  value: string;
}

export interface FieldSelector {
  readonly requirements: readonly FieldRequirement[];
  matches(fields: Record<string, string>): boolean;
  empty(): boolean;
  toString(): string;
  /** The value an equality requirement pins `field` to, if any (used to index by nodeName, name...). */
  requiresExactMatch(field: string): string | undefined;
}

/** fields.EscapeValue: a literal value made safe to embed in a selector string. */
export function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/** fields.UnescapeValue, with its error texts. */
export function unescapeFieldValue(value: string): string {
  if (!/[\\,=]/.test(value)) return value;
  let out = '';
  let inSlash = false;
  for (const c of value) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=')
        throw badRequest(`invalid field selector: invalid escape sequence: \\${c}`);
      out += c;
      inSlash = false;
    } else if (c === '\\') {
      inSlash = true;
    } else if (c === ',' || c === '=') {
      // Go prints the rune with %v, i.e. as its code point number.
      throw badRequest(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else {
      out += c;
    }
  }
  if (inSlash) throw badRequest('invalid field selector: invalid escape sequence: \\');
  return out;
}

class Requirements implements FieldSelector {
  constructor(readonly requirements: readonly FieldRequirement[]) {}
  matches(fields: Record<string, string>): boolean {
    // fields.Set.Get: an absent field reads as the empty string.
    return this.requirements.every((r) => {
      const have = Object.prototype.hasOwnProperty.call(fields, r.field) ? fields[r.field] : '';
      return r.operator === '=' ? have === r.value : have !== r.value;
    });
  }
  empty(): boolean {
    return this.requirements.length === 0;
  }
  toString(): string {
    return this.requirements
      .map((r) => `${r.field}${r.operator}${escapeFieldValue(r.value)}`)
      .join(',');
  }
  requiresExactMatch(field: string): string | undefined {
    return this.requirements.find((r) => r.field === field && r.operator === '=')?.value;
  }
}

/** fields.Everything(). */
export function everyField(): FieldSelector {
  return new Requirements([]);
}

/** fields.OneTermEqualSelector / SelectorFromSet: `k=v` for each pair. */
export function fieldSelectorFromSet(set: Record<string, string>): FieldSelector {
  return new Requirements(
    Object.entries(set).map(([field, value]) => ({ field, operator: '=', value })),
  );
}

/** Splits on commas that are not backslash-escaped, keeping the escapes for the value unescaper. */
function splitTerms(selector: string): string[] {
  if (selector.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

/** `!=` and `==` are tried before `=` at each position, so `a==b` is not `a` = `=b`. */
const termOperators = ['!=', '==', '='] as const;

function splitTerm(
  term: string,
): { lhs: string; op: (typeof termOperators)[number]; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of termOperators) {
      if (term.startsWith(op, i))
        return { lhs: term.slice(0, i), op, rhs: term.slice(i + op.length) };
    }
  }
  return undefined;
}

/** Parses the string form; throws a 400 BadRequest StatusError on bad syntax. */
export function parseFieldSelector(text: string): FieldSelector {
  // fields.ParseSelector sorts the raw terms, which fixes the order toString() prints.
  const parts = splitTerms(text).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const reqs: FieldRequirement[] = [];
  for (const part of parts) {
    if (part === '') continue;
    const t = splitTerm(part);
    if (!t) throw badRequest(`invalid selector: '${text}'; can't understand '${part}'`);
    reqs.push({
      field: t.lhs,
      operator: t.op === '!=' ? '!=' : '=',
      value: unescapeFieldValue(t.rhs),
    });
  }
  return new Requirements(reqs);
}

/** The fields every object can be selected by (generic.ObjectMetaFieldsSet). */
const metaFieldNames = ['metadata.name', 'metadata.namespace'];

/** The field set a kind's objects are matched against: metadata.name/namespace plus the kind's own. */
export function selectableFields(info: KindInfo, obj: KubeObject): Record<string, string> {
  return {
    'metadata.name': obj.metadata.name ?? '',
    'metadata.namespace': obj.metadata.namespace ?? '',
    ...(info.fieldLabels?.(obj) ?? {}),
  };
}

/** Field names a kind accepts in a field selector. */
export function supportedFieldLabels(info: KindInfo): string[] {
  let own: string[] = [];
  if (info.fieldLabels) {
    try {
      // scheme.ts asks fieldLabels not to throw on a minimal object, so its keys name the fields.
      own = Object.keys(info.fieldLabels({ metadata: {} }));
    } catch {
      own = [];
    }
  }
  return [...new Set([...metaFieldNames, ...own])];
}

/**
 * The api-server's field label conversion, run on every list/watch field selector: a kind that
 * registers its own field labels (pods, events, nodes...) rejects an unknown one with
 * `field label not supported: <f>`; every other kind falls back to
 * runtime.DefaultMetaV1FieldSelectorConversion and its `"<f>" is not a known field selector`.
 */
export function checkFieldSelectorSupported(info: KindInfo, sel: FieldSelector): void {
  const supported = new Set(supportedFieldLabels(info));
  for (const r of sel.requirements) {
    if (supported.has(r.field)) continue;
    if (info.fieldLabels) throw badRequest(`field label not supported: ${r.field}`);
    throw badRequest(
      `${JSON.stringify(r.field)} is not a known field selector: only "metadata.name", "metadata.namespace"`,
    );
  }
}
