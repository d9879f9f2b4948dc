/**
 * Field errors as apimachinery's `validation/field` package words them, so a 422 reads
 * `spec.containers[0].image: Required value` exactly as it does against a real cluster.
 *
 *   const p = path('spec', 'containers').index(0).child('image');
 *   errs.push(required(p));
 */

export type FieldErrorType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError'
  | 'FieldValueTypeInvalid';

/** The words field.ErrorType.String() prints for each type. */
const typeWords: Record<FieldErrorType, string> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  InternalError: 'Internal error',
  FieldValueTypeInvalid: 'Invalid value',
};

export interface FieldError {
  type: FieldErrorType;
  field: string;
  /** Omitted for types that never print a value (Required, Forbidden, TooLong, Internal). */
  badValue?: unknown;
  detail?: string;
}

/** A field path, rendered the Kubernetes way: `spec.containers[0].env[1].name`, `metadata.labels[app]`. */
export class FieldPath {
  private constructor(private readonly text: string) {}
  static root(...names: string[]): FieldPath {
    return new FieldPath(names.join('.'));
  }
  child(...names: string[]): FieldPath {
    const tail = names.join('.');
    return new FieldPath(this.text ? `${this.text}.${tail}` : tail);
  }
  index(i: number): FieldPath {
    return new FieldPath(`${this.text}[${i}]`);
  }
  key(k: string): FieldPath {
    return new FieldPath(`${this.text}[${k}]`);
  }
  toString(): string {
    return this.text;
  }
}

export function path(...names: string[]): FieldPath {
  return FieldPath.root(...names);
}

type P = FieldPath | string;
const s = (p: P): string => (typeof p === 'string' ? p : p.toString());

export function required(p: P, detail?: string): FieldError {
  return withDetail({ type: 'FieldValueRequired', field: s(p) }, detail);
}
export function invalidValue(p: P, value: unknown, detail?: string): FieldError {
  return withDetail({ type: 'FieldValueInvalid', field: s(p), badValue: value }, detail);
}
export function notSupported(p: P, value: unknown, supported: readonly string[]): FieldError {
  const detail = supported.length
    ? `supported values: ${supported.map((v) => JSON.stringify(v)).join(', ')}`
    : undefined;
  return withDetail({ type: 'FieldValueNotSupported', field: s(p), badValue: value }, detail);
}
export function duplicate(p: P, value: unknown): FieldError {
  return { type: 'FieldValueDuplicate', field: s(p), badValue: value };
}
export function forbiddenField(p: P, detail: string): FieldError {
  return { type: 'FieldValueForbidden', field: s(p), detail };
}
export function notFoundField(p: P, value: unknown): FieldError {
  return { type: 'FieldValueNotFound', field: s(p), badValue: value };
}
export function tooLong(p: P, maxLength: number): FieldError {
  return { type: 'FieldValueTooLong', field: s(p), detail: `must have at most ${maxLength} bytes` };
}
export function tooMany(p: P, actual: number, max: number): FieldError {
  return {
    type: 'FieldValueTooMany',
    field: s(p),
    badValue: actual,
    detail: `must have at most ${max} items`,
  };
}
export function typeInvalid(p: P, value: unknown, detail: string): FieldError {
  return { type: 'FieldValueTypeInvalid', field: s(p), badValue: value, detail };
}

function withDetail(e: FieldError, detail: string | undefined): FieldError {
  if (detail) e.detail = detail;
  return e;
}

/** Go's %v / %q rendering of a bad value, close enough for messages. */
function renderValue(v: unknown): string {
  // Values that know their Go rendering (`[]string{"a"}`, see core/v1/goSyntax.ts) print as such.
  if (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { goString?: unknown }).goString === 'function'
  )
    return (v as { goString(): string }).goString();
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v);
}

/** field.Error.ErrorBody(): the message without the field path (a Status cause's message). */
export function errorBody(e: FieldError): string {
  let body: string;
  switch (e.type) {
    case 'FieldValueRequired':
    case 'FieldValueForbidden':
    case 'FieldValueTooLong':
    case 'InternalError':
      body = typeWords[e.type];
      break;
    default:
      body = `${typeWords[e.type]}: ${renderValue(e.badValue)}`;
  }
  if (e.detail) body += `: ${e.detail}`;
  return body;
}

/** field.Error.Error(): `<field>: <body>`. */
export function formatFieldError(e: FieldError): string {
  return e.field ? `${e.field}: ${errorBody(e)}` : errorBody(e);
}

/** utilerrors.NewAggregate(...).Error(): one message as is, several as `[a, b]`, duplicates once. */
export function aggregateMessages(errs: FieldError[]): string {
  const msgs = [...new Set(errs.map(formatFieldError))];
  if (msgs.length === 1) return msgs[0] as string;
  return `[${msgs.join(', ')}]`;
}
