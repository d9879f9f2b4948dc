/**
 * Label selectors (apimachinery `labels`): string form parsing (`a=b,c!=d`, `env in (qa,prod)`,
 * `tier notin (frontend)`, `partition`, `!partition`), conversion from a meta/v1 LabelSelector
 * (matchLabels + matchExpressions), matching, and rendering back to the canonical string.
 *
 *   parseLabelSelector('env in (production,qa),!canary').matches({ env: 'qa' }); // true
 *   labelSelectorAsSelector({ matchLabels: { app: 'web' } }).toString();          // 'app=web'
 *
 * The parser follows labels.Parse token by token (a lexer, then a recursive descent with one
 * token of lookahead) because kubectl users see its error texts verbatim, and because its
 * quirks are part of the contract: `in`/`notin` are plain words where a key or value is
 * expected, `a in ()` means "a is the empty string", set values are sorted and deduplicated,
 * and requirements come out sorted by key.
 */
import type { FieldError, FieldPath } from './fieldErrors';
import { forbiddenField, invalidValue, required } from './fieldErrors';
import { isQualifiedName, isValidLabelValue } from './names';
import type { LabelSelector } from './objectMeta';
import { badRequest } from './status';

export type SelectorOperator = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!';

export interface Requirement {
  key: string;
  /**
   * selection.Operator. `==` parses to `equals` (it means the same); `gt`/`lt` are the integer
   * comparisons labels.Parse accepts (`a>5`), which node affinity also uses.
   */
  operator: 'in' | 'notin' | 'exists' | 'doesnotexist' | 'equals' | 'notequals' | 'gt' | 'lt';
  values: string[];
}

export interface Selector {
  readonly requirements: readonly Requirement[];
  /** True when every requirement holds for `labels`. */
  matches(labels: Record<string, string> | undefined): boolean;
  /** Selects everything (no requirements). */
  empty(): boolean;
  /** Canonical string form (`a=b,c in (x,y)`), as Scale.status.selector and kubectl show it. */
  toString(): string;
  /** RequiresExactMatch: the one value `label` must have (`label=v` or `label in (v)`), if any. */
  requiresExactMatch(label: string): string | undefined;
}

// ---------------------------------------------------------------------------------------------
// Requirements

/** The names selection.Operator prints, in the order labels.Parse lists them in its errors. */
const binaryOperatorWords = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];

const hasOwn = (o: Record<string, string>, k: string): boolean =>
  Object.prototype.hasOwnProperty.call(o, k);

/** Go's strconv.ParseInt(s, 10, 64) succeeding. */
function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const v = BigInt(s);
  return v > 9223372036854775807n || v < -9223372036854775808n ? undefined : v;
}

function requirementMatches(r: Requirement, labels: Record<string, string>): boolean {
  const has = hasOwn(labels, r.key);
  switch (r.operator) {
    case 'in':
    case 'equals':
      return has && r.values.includes(labels[r.key] as string);
    case 'notin':
    case 'notequals':
      return !has || !r.values.includes(labels[r.key] as string);
    case 'exists':
      return has;
    case 'doesnotexist':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has || r.values.length !== 1) return false;
      const have = parseInt64(labels[r.key] as string);
      const want = parseInt64(r.values[0] as string);
      if (have === undefined || want === undefined) return false;
      return r.operator === 'gt' ? have > want : have < want;
    }
  }
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Requirement.String(): `!k`, `k`, `k=v`, `k!=v`, `k in (a,b)` with values sorted on output. */
function requirementString(r: Requirement): string {
  if (r.operator === 'doesnotexist') return `!${r.key}`;
  if (r.operator === 'exists') return r.key;
  const values =
    r.values.length === 1 ? (r.values[0] as string) : [...r.values].sort(byteOrder).join(',');
  switch (r.operator) {
    case 'equals':
      return `${r.key}=${values}`;
    case 'notequals':
      return `${r.key}!=${values}`;
    case 'gt':
      return `${r.key}>${values}`;
    case 'lt':
      return `${r.key}<${values}`;
    case 'in':
      return `${r.key} in (${values})`;
    case 'notin':
      return `${r.key} notin (${values})`;
  }
}

class RequirementsSelector implements Selector {
  readonly requirements: readonly Requirement[];
  constructor(reqs: Requirement[]) {
    // internalSelector.Add sorts by key; a stable sort keeps same-key requirements in input order.
    this.requirements = [...reqs].sort((a, b) => byteOrder(a.key, b.key));
  }
  matches(labels: Record<string, string> | undefined): boolean {
    const l = labels ?? {};
    return this.requirements.every((r) => requirementMatches(r, l));
  }
  empty(): boolean {
    return this.requirements.length === 0;
  }
  toString(): string {
    return this.requirements.map(requirementString).join(',');
  }
  requiresExactMatch(label: string): string | undefined {
    const r = this.requirements.find((x) => x.key === label);
    if (!r) return undefined;
    if ((r.operator === 'equals' || r.operator === 'in') && r.values.length === 1)
      return r.values[0];
    return undefined;
  }
}

/** labels.Nothing(): what a nil LabelSelector converts to; it matches no object at all. */
class MatchesNothing implements Selector {
  readonly requirements: readonly Requirement[] = [];
  matches(): boolean {
    return false;
  }
  empty(): boolean {
    return false;
  }
  toString(): string {
    return '';
  }
  requiresExactMatch(): string | undefined {
    return undefined;
  }
}

/** labels.Everything(). */
export function everythingSelector(): Selector {
  return new RequirementsSelector([]);
}

/** labels.Nothing(). */
export function nothingSelector(): Selector {
  return new MatchesNothing();
}

/** labels.SelectorFromSet: `k=v` for each pair (nothing validated), empty set → everything. */
export function selectorFromSet(set: Record<string, string> | undefined): Selector {
  return new RequirementsSelector(
    Object.entries(set ?? {}).map(([key, v]) => ({ key, operator: 'equals', values: [v] })),
  );
}

/** A field.Path that may be nil, rendered as field.Path.String() does (`<nil>` for nil). */
function pathText(base: string | undefined, ...tail: string[]): string {
  if (base === undefined && tail.length === 0) return '<nil>';
  let out = base ?? '';
  for (const t of tail) out = t.startsWith('[') ? out + t : out ? `${out}.${t}` : t;
  return out;
}

function fieldErrorText(field: string, value: unknown, detail: string): string {
  return `${field}: Invalid value: ${typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value ?? null)}: ${detail}`;
}

/** utilerrors.NewAggregate(...).Error(): one message as is, several in brackets, duplicates once. */
function aggregate(msgs: string[]): string {
  const unique = [...new Set(msgs)];
  return unique.length === 1 ? (unique[0] as string) : `[${unique.join(', ')}]`;
}

/**
 * labels.NewRequirement's checks, returning the aggregated error text (or undefined).
 * `base` is the optional field path the caller passed (none from labels.Parse).
 */
function requirementError(r: Requirement, base?: string): string | undefined {
  const errs: string[] = [];
  const keyErrs = isQualifiedName(r.key);
  if (keyErrs.length) errs.push(fieldErrorText(pathText(base, 'key'), r.key, keyErrs.join('; ')));
  const valuesPath = pathText(base, 'values');
  switch (r.operator) {
    case 'in':
    case 'notin':
      if (r.values.length === 0)
        errs.push(
          fieldErrorText(
            valuesPath,
            r.values,
            "for 'in', 'notin' operators, values set can't be empty",
          ),
        );
      break;
    case 'equals':
    case 'notequals':
      if (r.values.length !== 1)
        errs.push(
          fieldErrorText(
            valuesPath,
            r.values,
            'exact-match compatibility requires one single value',
          ),
        );
      break;
    case 'exists':
    case 'doesnotexist':
      if (r.values.length !== 0)
        errs.push(
          fieldErrorText(
            valuesPath,
            r.values,
            'values set must be empty for exists and does not exist',
          ),
        );
      break;
    case 'gt':
    case 'lt':
      if (r.values.length !== 1)
        errs.push(
          fieldErrorText(
            valuesPath,
            r.values,
            "for 'Gt', 'Lt' operators, exactly one value is required",
          ),
        );
      r.values.forEach((v, i) => {
        if (parseInt64(v) === undefined)
          errs.push(
            fieldErrorText(
              `${valuesPath}[${i}]`,
              v,
              "for 'Gt', 'Lt' operators, the value must be an integer",
            ),
          );
      });
      break;
  }
  r.values.forEach((v, i) => {
    const msgs = isValidLabelValue(v);
    if (msgs.length) errs.push(fieldErrorText(`${valuesPath}[${i}][${r.key}]`, v, msgs.join('; ')));
  });
  return errs.length ? aggregate(errs) : undefined;
}

// ---------------------------------------------------------------------------------------------
// The string form: lexer

type Token =
  | 'error'
  | 'eos'
  | 'closePar'
  | 'comma'
  | 'doesNotExist'
  | 'doubleEquals'
  | 'equals'
  | 'greaterThan'
  | 'identifier'
  | 'in'
  | 'lessThan'
  | 'notEquals'
  | 'notIn'
  | 'openPar';

const literalTokens: Record<string, Token> = {
  ')': 'closePar',
  ',': 'comma',
  '!': 'doesNotExist',
  '==': 'doubleEquals',
  '=': 'equals',
  '>': 'greaterThan',
  in: 'in',
  '<': 'lessThan',
  '!=': 'notEquals',
  notin: 'notIn',
  '(': 'openPar',
};

interface Scanned {
  tok: Token;
  lit: string;
}

const isWhitespace = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isSpecial = (c: string): boolean => '=!(),><'.includes(c);

function lex(s: string): Scanned[] {
  const out: Scanned[] = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isWhitespace(s[pos] as string)) pos++;
    if (pos >= s.length) {
      out.push({ tok: 'eos', lit: '' });
      return out;
    }
    const c = s[pos] as string;
    if (isSpecial(c)) {
      // Longest run of special characters that still forms an operator: `!=`, `==`, else one char.
      let buf = '';
      let last: Scanned | undefined;
      while (pos < s.length && isSpecial(s[pos] as string)) {
        const next = buf + (s[pos] as string);
        const tok = literalTokens[next];
        if (tok) last = { tok, lit: next };
        else if (last) break;
        buf = next;
        pos++;
      }
      out.push(last ?? { tok: 'error', lit: `error expected: keyword found '${buf}'` });
    } else {
      const start = pos;
      while (pos < s.length && !isSpecial(s[pos] as string) && !isWhitespace(s[pos] as string))
        pos++;
      const word = s.slice(start, pos);
      out.push({ tok: literalTokens[word] ?? 'identifier', lit: word });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The string form: parser

/** Raised inside the parser; parseLabelSelector turns it into a 400 BadRequest. */
class SyntaxProblem extends Error {}

/** Where a value is expected, `in` and `notin` are ordinary words (`a in (in,notin)`). */
type Context = 'keyAndOperator' | 'values';

class Parser {
  private pos = 0;
  constructor(private readonly items: Scanned[]) {}

  private peek(ctx: Context): Scanned {
    return this.asContext(this.items[this.pos] as Scanned, ctx);
  }
  private next(ctx: Context): Scanned {
    const item = this.items[this.pos] as Scanned;
    // Never step past the end-of-string token, so lookahead after a failed parse stays defined.
    if (this.pos < this.items.length - 1) this.pos++;
    return this.asContext(item, ctx);
  }
  private asContext(item: Scanned, ctx: Context): Scanned {
    if (ctx === 'values' && (item.tok === 'in' || item.tok === 'notIn'))
      return { tok: 'identifier', lit: item.lit };
    return item;
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = [];
    for (;;) {
      const { tok, lit } = this.peek('values');
      switch (tok) {
        case 'identifier':
        case 'doesNotExist': {
          reqs.push(this.requirementOrThrow());
          const after = this.next('values');
          if (after.tok === 'eos') return reqs;
          if (after.tok === 'comma') {
            const n = this.peek('values');
            if (n.tok !== 'identifier' && n.tok !== 'doesNotExist')
              throw new SyntaxProblem(`found '${n.lit}', expected: identifier after ','`);
            break;
          }
          throw new SyntaxProblem(`found '${after.lit}', expected: ',' or 'end of string'`);
        }
        case 'eos':
          return reqs;
        default:
          throw new SyntaxProblem(`found '${lit}', expected: !, identifier, or 'end of string'`);
      }
    }
  }

  private requirementOrThrow(): Requirement {
    try {
      return this.requirement();
    } catch (e) {
      if (e instanceof SyntaxProblem)
        throw new SyntaxProblem(`unable to parse requirement: ${e.message}`);
      throw e;
    }
  }

  private requirement(): Requirement {
    const { key, operator } = this.keyAndInferredOperator();
    if (operator) return this.checked({ key, operator, values: [] });
    const op = this.operator();
    const values = op === 'in' || op === 'notin' ? this.setValues() : this.exactValue();
    // sets.String.List(): sorted, deduplicated.
    return this.checked({ key, operator: op, values: [...new Set(values)].sort(byteOrder) });
  }

  private checked(r: Requirement): Requirement {
    const err = requirementError(r);
    if (err) throw new SyntaxProblem(err);
    return r;
  }

  /** `!key` → doesnotexist; `key` followed by `,` or the end → exists; otherwise an operator follows. */
  private keyAndInferredOperator(): { key: string; operator?: 'exists' | 'doesnotexist' } {
    let operator: 'exists' | 'doesnotexist' | undefined;
    let t = this.next('values');
    if (t.tok === 'doesNotExist') {
      operator = 'doesnotexist';
      t = this.next('values');
    }
    if (t.tok !== 'identifier') throw new SyntaxProblem(`found '${t.lit}', expected: identifier`);
    const keyErrs = isQualifiedName(t.lit);
    if (keyErrs.length)
      throw new SyntaxProblem(fieldErrorText(pathText(undefined), t.lit, keyErrs.join('; ')));
    const after = this.peek('values').tok;
    if ((after === 'eos' || after === 'comma') && operator !== 'doesnotexist') operator = 'exists';
    return operator ? { key: t.lit, operator } : { key: t.lit };
  }

  private operator(): Requirement['operator'] {
    const { tok, lit } = this.next('keyAndOperator');
    switch (tok) {
      case 'in':
        return 'in';
      case 'notIn':
        return 'notin';
      case 'equals':
      case 'doubleEquals':
        return 'equals';
      case 'notEquals':
        return 'notequals';
      case 'greaterThan':
        return 'gt';
      case 'lessThan':
        return 'lt';
      default:
        throw new SyntaxProblem(`found '${lit}', expected: ${binaryOperatorWords.join(', ')}`);
    }
  }

  /** `(a,b,c)`; empty members (`(a,,b)`, `()`) are the empty string. */
  private setValues(): string[] {
    const open = this.next('values');
    // Upstream's message lacks the colon here; kept verbatim.
    if (open.tok !== 'openPar') throw new SyntaxProblem(`found '${open.lit}' expected: '('`);
    const first = this.peek('values');
    switch (first.tok) {
      case 'identifier':
      case 'comma': {
        const values = this.identifiers();
        if (this.next('values').tok !== 'closePar')
          throw new SyntaxProblem(`found '${first.lit}', expected: ')'`);
        return values;
      }
      case 'closePar':
        this.next('values');
        return [''];
      default:
        throw new SyntaxProblem(`found '${first.lit}', expected: ',', ')' or identifier`);
    }
  }

  private identifiers(): string[] {
    const values = new Set<string>();
    for (;;) {
      const { tok, lit } = this.next('values');
      if (tok === 'identifier') {
        values.add(lit);
        const n = this.peek('values');
        if (n.tok === 'comma') continue;
        if (n.tok === 'closePar') return [...values];
        throw new SyntaxProblem(`found '${n.lit}', expected: ',' or ')'`);
      }
      if (tok === 'comma') {
        if (values.size === 0) values.add(''); // `(,`
        const n = this.peek('values').tok;
        if (n === 'closePar') {
          values.add(''); // `,)`
          return [...values];
        }
        if (n === 'comma') {
          this.next('values');
          values.add(''); // `,,`
        }
        continue;
      }
      throw new SyntaxProblem(`found '${lit}', expected: ',', or identifier`);
    }
  }

  /** The value after `=`, `==`, `!=`, `>` or `<`; nothing before `,` or the end is the empty string. */
  private exactValue(): string[] {
    const n = this.peek('values').tok;
    if (n === 'eos' || n === 'comma') return [''];
    const { tok, lit } = this.next('values');
    if (tok === 'identifier') return [lit];
    throw new SyntaxProblem(`found '${lit}', expected: identifier`);
  }
}

/** Parses the string form; throws a 400 BadRequest StatusError with Kubernetes' message on bad input. */
export function parseLabelSelector(text: string): Selector {
  try {
    return new RequirementsSelector(new Parser(lex(text)).parse());
  } catch (e) {
    if (e instanceof SyntaxProblem) throw badRequest(e.message);
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// meta/v1 LabelSelector

const expressionOperators: Record<string, Requirement['operator']> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: 'doesnotexist',
};

/**
 * LabelSelectorAsSelector: nil → matches nothing, empty → matches everything.
 * Throws a 400 BadRequest StatusError with upstream's text when the selector is malformed (an
 * object that passed validateLabelSelector never is).
 */
export function labelSelectorAsSelector(sel: LabelSelector | undefined): Selector {
  if (!sel) return nothingSelector();
  const matchLabels = Object.entries(sel.matchLabels ?? {});
  const expressions = sel.matchExpressions ?? [];
  if (matchLabels.length + expressions.length === 0) return everythingSelector();
  const reqs: Requirement[] = [];
  for (const [key, v] of matchLabels) reqs.push({ key, operator: 'equals', values: [v] });
  for (const expr of expressions) {
    const operator = expressionOperators[expr.operator];
    if (!operator)
      throw badRequest(`${JSON.stringify(expr.operator)} is not a valid label selector operator`);
    reqs.push({ key: expr.key, operator, values: [...(expr.values ?? [])] });
  }
  for (const r of reqs) {
    const err = requirementError(r);
    if (err) throw badRequest(err);
  }
  return new RequirementsSelector(reqs);
}

/**
 * ValidateLabelSelector (meta/v1 validation): matchLabels as labels (keys and values both
 * reported at the matchLabels path itself, as upstream's ValidateLabels does), then each
 * expression's operator, values and key.
 */
export function validateLabelSelector(sel: LabelSelector | undefined, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!sel) return errs;
  const mlPath = p.child('matchLabels');
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) {
    for (const m of isQualifiedName(k)) errs.push(invalidValue(mlPath, k, m));
    for (const m of isValidLabelValue(v)) errs.push(invalidValue(mlPath, v, m));
  }
  (sel.matchExpressions ?? []).forEach((expr, i) => {
    errs.push(...validateSelectorRequirement(expr, p.child('matchExpressions').index(i)));
  });
  return errs;
}

/** A requirement of a label selector expression or a node selector term. */
export interface SelectorRequirement {
  key?: string;
  operator?: string;
  values?: string[];
}

/**
 * One selector requirement, as ValidateLabelSelectorRequirement and (with `gtLt`)
 * ValidateNodeSelectorRequirement check it: In and NotIn need values, Exists and DoesNotExist
 * take none, Gt and Lt (node selectors only) exactly one; then the key as a qualified name and,
 * unless `allowInvalidValues`, every value as a label value.
 */
export function validateSelectorRequirement(
  rq: SelectorRequirement,
  p: FieldPath,
  opts: { gtLt?: boolean; allowInvalidValues?: boolean } = {},
): FieldError[] {
  const errs: FieldError[] = [];
  const values = rq.values ?? [];
  const op = rq.operator ?? '';
  if (op === 'In' || op === 'NotIn') {
    if (values.length === 0)
      errs.push(
        required(p.child('values'), "must be specified when `operator` is 'In' or 'NotIn'"),
      );
  } else if (op === 'Exists' || op === 'DoesNotExist') {
    if (values.length > 0)
      errs.push(
        forbiddenField(
          p.child('values'),
          "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
        ),
      );
  } else if (opts.gtLt && (op === 'Gt' || op === 'Lt')) {
    if (values.length !== 1)
      errs.push(
        required(
          p.child('values'),
          "must be specified single value when `operator` is 'Lt' or 'Gt'",
        ),
      );
  } else {
    errs.push(invalidValue(p.child('operator'), op, 'not a valid selector operator'));
  }
  const key = rq.key ?? '';
  for (const m of isQualifiedName(key)) errs.push(invalidValue(p.child('key'), key, m));
  if (!opts.allowInvalidValues)
    values.forEach((v, i) => {
      for (const m of isValidLabelValue(v))
        errs.push(invalidValue(p.child('values').index(i), v, m));
    });
  return errs;
}
