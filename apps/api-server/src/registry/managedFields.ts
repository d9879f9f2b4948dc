/**
 * managedFields on writes, as the api-server's field manager records them: who made the write
 * (the `fieldManager` query parameter, else the first token of the User-Agent), which endpoint
 * (subresource), and which fields changed hands. The ownership rules themselves live in
 * @kubeling/api (patch/managedFields.ts); this module decides what goes in.
 */
import type { FieldError, KindInfo, KubeObject, Manager, ManagedFieldsEntry } from '@kubeling/api';
import {
  apiVersionOf,
  decodeManagedFields,
  encodeManagedFields,
  FieldSet,
  forbiddenField,
  invalid,
  invalidValue,
  required,
  rfc3339,
  tooLong,
  typeOfKind,
  updateManagers,
  zeroObjectOf,
} from '@kubeling/api';
import type { WriteOptions } from './options';

/** FieldManagerMaxLength upstream. */
const maxManagerLength = 128;

const printable = /^[\P{C}]$/u;

/**
 * prefixFromUserAgent: what precedes the first `/` of the User-Agent (`kubectl`, `node-fetch`),
 * printable characters only, cut at 128 bytes.
 */
export function managerFromUserAgent(userAgent: string | undefined): string {
  const head = (userAgent ?? '').split('/')[0] ?? '';
  let out = '';
  for (const ch of head) {
    if (!printable.test(ch)) continue;
    if (Buffer.byteLength(out + ch) > maxManagerLength) break;
    out += ch;
  }
  return out;
}

/** managerOrUserAgent: the manager a non-apply write is recorded under. */
export function fieldManagerOf(opts: WriteOptions): string {
  return opts.fieldManager || managerFromUserAgent(opts.userAgent);
}

/**
 * ValidatePatchOptions / ValidateCreateOptions' field manager rules: required for apply,
 * at most 128 bytes, printable; `force` only for apply. 422 on `PatchOptions.meta.k8s.io`.
 */
export function validateWriteOptions(
  opts: WriteOptions,
  kind: 'CreateOptions' | 'UpdateOptions' | 'PatchOptions',
  apply: boolean,
): void {
  const errs: FieldError[] = [];
  if (apply && !opts.fieldManager)
    errs.push(required('fieldManager', 'is required for apply patch'));
  if (!apply && kind === 'PatchOptions' && opts.force !== undefined)
    errs.push(forbiddenField('force', 'may not be specified for non-apply patch'));
  const fm = opts.fieldManager ?? '';
  if (Buffer.byteLength(fm) > maxManagerLength)
    errs.push(tooLong('fieldManager', maxManagerLength));
  [...fm].forEach((ch, i) => {
    if (!printable.test(ch))
      errs.push(
        invalidValue(
          'fieldManager',
          fm,
          `invalid character U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} (at position ${i})`,
        ),
      );
  });
  if (errs.length) throw invalid({ group: 'meta.k8s.io', kind }, '', errs);
}

/**
 * The fields an endpoint never gives ownership of (the strategies' reset fields): the main
 * resource does not own status where status is a subresource; the status endpoint does not own
 * spec.
 */
export function ignoredFields(info: KindInfo, subresource: string | undefined): FieldSet {
  if (subresource === 'status') return FieldSet.of(['f:spec']);
  if (info.subresources.includes('status')) return FieldSet.of(['f:status']);
  return new FieldSet();
}

/** A copy without metadata.managedFields: ownership is never computed over itself. */
export function withoutManagedFields<T extends KubeObject>(obj: T): T {
  const { managedFields: _m, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

/** isResetManagedFields: `[]` or `[{}]` asks the server to forget every owner. */
function isReset(entries: ManagedFieldsEntry[]): boolean {
  if (entries.length === 0) return true;
  return entries.length === 1 && Object.keys(entries[0] ?? {}).length === 0;
}

/** Decodes stored managedFields; entries that do not decode count as none, as upstream treats them. */
export function storedManagers(obj: KubeObject | undefined): Manager[] {
  try {
    return decodeManagedFields(obj?.metadata.managedFields);
  } catch {
    return [];
  }
}

/**
 * decodeLiveOrNew: managers as the request sets them (a client may rewrite managedFields, as
 * kubectl does when it upgrades client-side apply ownership), else the stored ones. Requests
 * to subresources cannot touch managedFields.
 */
function managersFor(
  live: KubeObject | undefined,
  next: KubeObject,
  fromRequest: boolean,
): Manager[] {
  const sent = next.metadata.managedFields;
  if (!fromRequest || sent === undefined) return storedManagers(live);
  if (isReset(sent)) return [];
  try {
    const decoded = decodeManagedFields(sent);
    if (decoded.length) return decoded;
  } catch {
    // Undecodable: keep what is stored rather than lose it.
  }
  return storedManagers(live);
}

export interface UpdateRecord {
  manager: string;
  subresource?: string;
  nowMs: number;
  /** Whether the request's own metadata.managedFields may replace the stored ones. */
  fromRequest: boolean;
}

/**
 * Records an Update write from `live` (undefined on create) to `next` in
 * `next.metadata.managedFields`: changed fields move to the manager, removed fields leave
 * everybody.
 */
export function recordUpdate(
  info: KindInfo,
  live: KubeObject | undefined,
  next: KubeObject,
  r: UpdateRecord,
): void {
  const managers = managersFor(live, next, r.fromRequest);
  const before = live
    ? withoutManagedFields(live)
    : zeroObjectOf(info.group, info.version, info.kind);
  const result = updateManagers(
    managers,
    before,
    withoutManagedFields(next),
    {
      type: typeOfKind(info.group, info.kind),
      ignored: ignoredFields(info, r.subresource),
      manager: r.manager,
      apiVersion: apiVersionOf(info),
      ...(r.subresource ? { subresource: r.subresource } : {}),
      now: rfc3339(r.nowMs),
    },
    live === undefined,
  );
  setManagedFields(next, result);
}

export function setManagedFields(obj: KubeObject, managers: Manager[] | undefined): void {
  const entries = managers ? encodeManagedFields(managers) : [];
  if (entries.length) obj.metadata.managedFields = entries;
  else delete obj.metadata.managedFields;
}
