/**
 * Decoding a request body into a typed object the way the api-server's serializer and
 * validation do it, in the same order and with the same error classes:
 *
 *   1. nulls dropped (Go's decoder treats `null` as "absent"),
 *   2. type mismatches → 400 BadRequest (`json: cannot unmarshal string into Go struct field ...`),
 *   3. unknown fields → 400 under fieldValidation=Strict, a warning under Warn, silence under Ignore,
 *   4. defaulting (SetDefaults_*),
 *   5. validation → 422 Invalid with field causes.
 */
import type { ZodIssue } from 'zod';
import type { FieldError } from './meta/fieldErrors';
import { invalidValue, notSupported, required } from './meta/fieldErrors';
import type { KubeObject } from './meta/objectMeta';
import { validateObjectMeta, validateObjectMetaUpdate } from './meta/objectMeta';
import { decodeErrorParam } from './meta/quantity';
import { badRequest, invalid } from './meta/status';
import type { KindInfo } from './scheme';
import { apiVersionOf } from './scheme';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface Decoded<T> {
  object: T;
  /** Warning texts (sent as `Warning: 299 - "<text>"` headers over HTTP). */
  warnings: string[];
}

/** Removes `null` object members recursively, as Go's decoder leaves such fields unset. */
export function dropNulls<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => dropNulls(v)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = dropNulls(v);
    return out as T;
  }
  return value;
}

/** A zod path as Kubernetes prints field paths: `spec.containers[0].image`. */
export function formatPath(p: ReadonlyArray<string | number>): string {
  let out = '';
  for (const seg of p) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${seg}` : seg;
  }
  return out;
}

const goJsonType: Record<string, string> = {
  string: 'string',
  number: 'number',
  integer: 'number',
  float: 'number',
  boolean: 'bool',
  array: 'array',
  object: 'object',
  bigint: 'number',
};

function goTypeName(expected: string): string {
  switch (expected) {
    case 'number':
    case 'integer':
      return 'int32';
    case 'boolean':
      return 'bool';
    case 'array':
      return 'slice';
    case 'object':
      return 'struct';
    default:
      return expected;
  }
}

interface Classified {
  typeErrors: string[];
  unknownFields: Array<{ path: Array<string | number>; key: string }>;
  fieldErrors: FieldError[];
}

function classify(issues: ZodIssue[]): Classified {
  const c: Classified = { typeErrors: [], unknownFields: [], fieldErrors: [] };
  const visit = (issue: ZodIssue): void => {
    const field = formatPath(issue.path);
    switch (issue.code) {
      case 'invalid_type':
        if (issue.received === 'undefined') c.fieldErrors.push(required(field));
        else
          c.typeErrors.push(
            `json: cannot unmarshal ${goJsonType[issue.received] ?? issue.received} into Go struct field ${issue.path
              .filter((s) => typeof s === 'string')
              .join('.')} of type ${goTypeName(issue.expected)}`,
          );
        break;
      case 'unrecognized_keys':
        for (const key of issue.keys) c.unknownFields.push({ path: issue.path, key });
        break;
      case 'invalid_enum_value':
        c.fieldErrors.push(notSupported(field, issue.received, issue.options.map(String)));
        break;
      case 'invalid_literal':
        c.fieldErrors.push(notSupported(field, issue.received, [String(issue.expected)]));
        break;
      case 'invalid_union': {
        // A union of types (int-or-string, quantity): report the first branch's type complaint.
        const first = issue.unionErrors[0]?.issues[0];
        if (first && first.code === 'invalid_type' && first.received !== 'undefined') visit(first);
        else c.fieldErrors.push(invalidValue(field, undefined, issue.message));
        break;
      }
      case 'custom':
        // Schemas mark failures the Go decoder would hit (quantities) as decode errors: 400, not 422.
        if (issue.params?.[decodeErrorParam]) c.typeErrors.push(issue.message);
        else c.fieldErrors.push(invalidValue(field, undefined, issue.message));
        break;
      default:
        c.fieldErrors.push(invalidValue(field, undefined, issue.message));
    }
  };
  issues.forEach(visit);
  return c;
}

function unknownFieldText(u: { path: Array<string | number>; key: string }): string {
  return `unknown field "${formatPath([...u.path, u.key])}"`;
}

function deleteAt(root: unknown, p: Array<string | number>, key: string): void {
  let cur: unknown = root;
  for (const seg of p) {
    if (cur === null || typeof cur !== 'object') return;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  if (cur !== null && typeof cur === 'object') delete (cur as Record<string, unknown>)[key];
}

function nameOf(raw: unknown): string {
  const meta = (raw as { metadata?: { name?: unknown } } | null)?.metadata;
  return typeof meta?.name === 'string' ? meta.name : '';
}

/**
 * Decodes `raw` as `info`'s kind. Throws a StatusError (400 for type errors and strict unknown
 * fields, 422 for missing or unsupported values). Does not default or validate semantics.
 */
export function decode<T extends KubeObject>(
  info: KindInfo<T>,
  raw: unknown,
  fieldValidation: FieldValidation = 'Strict',
): Decoded<T> {
  const cannotHandle = `${info.kind} in version "${info.version}" cannot be handled as a ${info.kind}`;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw badRequest(
      `${cannotHandle}: json: cannot unmarshal ${Array.isArray(raw) ? 'array' : typeof raw} into Go value of type ${info.kind}`,
    );
  const input = dropNulls(raw) as Record<string, unknown>;
  const warnings: string[] = [];
  for (let attempt = 0; ; attempt++) {
    const result = info.schema.safeParse(input);
    if (result.success) return { object: result.data, warnings };
    const c = classify(result.error.issues);
    if (c.typeErrors.length) throw badRequest(`${cannotHandle}: ${c.typeErrors.join(', ')}`);
    if (c.unknownFields.length && attempt === 0) {
      if (fieldValidation === 'Strict')
        throw badRequest(
          `${cannotHandle}: strict decoding error: ${c.unknownFields.map(unknownFieldText).join(', ')}`,
        );
      if (fieldValidation === 'Warn') warnings.push(...c.unknownFields.map(unknownFieldText));
      for (const u of c.unknownFields) deleteAt(input, u.path, u.key);
      continue;
    }
    throw invalid({ group: info.group, kind: info.kind }, nameOf(raw), c.fieldErrors);
  }
}

/** Checks the body's apiVersion/kind (when given) against the endpoint's kind. */
export function checkTypeMeta(info: KindInfo, raw: unknown): void {
  if (raw === null || typeof raw !== 'object') return;
  const { apiVersion, kind } = raw as { apiVersion?: unknown; kind?: unknown };
  // TypeMeta is read before anything else: a non-string there fails that first read.
  for (const [field, v] of [
    ['apiVersion', apiVersion],
    ['kind', kind],
  ] as const)
    if (v !== undefined && v !== null && typeof v !== 'string')
      throw badRequest(
        `couldn't get version/kind; json parse error: json: cannot unmarshal ${Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : goJsonType[typeof v]} into Go struct field .${field} of type string`,
      );
  const expected = apiVersionOf(info);
  if (apiVersion !== undefined && apiVersion !== null && apiVersion !== expected)
    throw badRequest(
      `the API version in the data (${String(apiVersion)}) does not match the expected API version (${expected})`,
    );
  if (kind !== undefined && kind !== null && kind !== info.kind)
    throw badRequest(
      `${String(kind)} in version "${info.version}" cannot be handled as a ${info.kind}: the kind in the data (${String(kind)}) does not match the expected kind (${info.kind})`,
    );
}

/** Applies the kind's defaults in place (SetDefaults_*), then returns the object. */
export function applyDefaults<T extends KubeObject>(info: KindInfo<T>, obj: T): T {
  info.defaults?.(obj);
  return obj;
}

/** Validation on create: ObjectMeta plus the kind's own rules; throws 422 Invalid. */
export function validateCreate<T extends KubeObject>(info: KindInfo<T>, obj: T): void {
  const errs = [
    ...validateObjectMeta(obj.metadata, {
      namespaced: info.namespaced,
      validateName: info.validateName,
    }),
    ...(info.validate?.(obj) ?? []),
  ];
  if (errs.length)
    throw invalid({ group: info.group, kind: info.kind }, obj.metadata.name ?? '', errs);
}

/** Validation on update: as on create, plus immutable identity and the kind's update rules. */
export function validateUpdate<T extends KubeObject>(info: KindInfo<T>, obj: T, old: T): void {
  const errs = [
    ...validateObjectMeta(obj.metadata, {
      namespaced: info.namespaced,
      validateName: info.validateName,
    }),
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...(info.validate?.(obj) ?? []),
    ...(info.validateUpdate?.(obj, old) ?? []),
  ];
  if (errs.length)
    throw invalid({ group: info.group, kind: info.kind }, obj.metadata.name ?? '', errs);
}
