/**
 * Server-side apply (`PATCH` with `application/apply-patch+yaml`): the body is the manager's
 * whole intent for the object. It is merged into the live object (never replaces it), fields
 * the manager applied before and no longer applies are removed unless someone else owns them,
 * and changing a field another manager owns is a 409 Conflict unless `force=true`. The object
 * is created when missing (201).
 *
 * kubectl specifics kept from upstream's field manager: `kubectl` (the manager
 * `kubectl apply --server-side` uses) may take over fields client-side apply recorded in the
 * last-applied annotation when the live values still match it, and keeps that annotation in
 * step with what it applies.
 */
import type {
  Clock,
  Conflict,
  FieldSet,
  GroupResource,
  JsonObject,
  KindInfo,
  KubeObject,
  ManagedWrite,
  TypeNode,
} from '@kubeling/api';
import {
  apiVersionOf,
  applyConfiguration,
  badRequest,
  compareFields,
  conflict,
  dropNulls,
  fieldElement,
  goValue,
  hasReason,
  keyElement,
  managerKey,
  notFound,
  pathString,
  rfc3339,
  statusFailure,
  toFieldSet,
  typeOfKind,
  valueElement,
  zeroObjectOf,
} from '@kubeling/api';
import {
  ignoredFields,
  setManagedFields,
  storedManagers,
  validateWriteOptions,
  withoutManagedFields,
} from './managedFields';
import type { WriteOptions } from './options';
import { isConflict, retryOnConflict } from './conflictRetry';
import { patching } from './patch';
import type { WriteResult } from './results';

/**
 * What apply needs of the registry it writes through (ResourceRegistry has it). Declared here,
 * not imported, because resource.ts calls applyObject: the two modules would import each other.
 */
export interface ApplyTarget {
  readonly info: KindInfo;
  readonly gr: GroupResource;
  readonly clock: Clock;
  get(ns: string | undefined, name: string): Promise<KubeObject>;
  /** `preset`: the candidate already carries the managedFields apply computed. */
  create(
    ns: string | undefined,
    raw: unknown,
    opts: WriteOptions,
    tracking: 'preset',
  ): Promise<WriteResult>;
  decodeBody(
    ns: string | undefined,
    raw: unknown,
    opts: WriteOptions,
  ): { object: KubeObject; warnings: string[] };
  writeUpdate(
    candidate: KubeObject,
    old: KubeObject,
    subresource: string | undefined,
    opts: WriteOptions,
    expectedRV: string,
    tracking: 'preset',
  ): Promise<KubeObject>;
}

export const lastAppliedAnnotation = 'kubectl.kubernetes.io/last-applied-configuration';

/** The manager `kubectl apply --server-side` uses unless told otherwise. */
const kubectlManager = 'kubectl';

function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** GroupVersionKind.String(): `apps/v1, Kind=Deployment`, `/v1, Kind=Pod`. */
function gvkString(apiVersion: unknown, kind: unknown): string {
  const av = typeof apiVersion === 'string' ? apiVersion : '';
  const slash = av.indexOf('/');
  const [group, version] = slash < 0 ? ['', av] : [av.slice(0, slash), av.slice(slash + 1)];
  return `${group}/${version}, Kind=${typeof kind === 'string' ? kind : ''}`;
}

/** The Status of an apply conflict (NewApplyConflict): 409, reason Conflict, one cause per field. */
export function applyConflict(conflicts: readonly Conflict[]) {
  const describe = (c: Conflict) => {
    let who = JSON.stringify(c.manager.manager);
    if (c.manager.subresource) who += ` with subresource ${JSON.stringify(c.manager.subresource)}`;
    if (c.manager.operation === 'Update') who += ` using ${c.manager.apiVersion}`;
    return who;
  };
  const causes = conflicts.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${describe(c)}`,
    field: pathString(c.path),
  }));
  let message: string;
  if (conflicts.length === 1) {
    const c = conflicts[0] as Conflict;
    message = `Apply failed with 1 conflict: conflict with ${describe(c)}: ${pathString(c.path)}`;
  } else {
    const byManager = new Map<string, Conflict[]>();
    for (const c of conflicts) {
      const k = managerKey(c.manager);
      byManager.set(k, [...(byManager.get(k) ?? []), c]);
    }
    const lines: string[] = [];
    for (const k of [...byManager.keys()].sort()) {
      const group = byManager.get(k) ?? [];
      lines.push(`conflicts with ${describe(group[0] as Conflict)}:`);
      for (const c of group) lines.push(`- ${pathString(c.path)}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return statusFailure('Conflict', message, { causes });
}

/**
 * The configuration as upstream accepts it: an object of this kind (apiVersion and kind set),
 * no managedFields, no field the kind does not declare, values of the declared types, items of
 * associative lists with their keys. Every refusal is a 400.
 */
function checkConfiguration(reg: ApplyTarget, body: unknown, name: string): JsonObject {
  if (!isObject(body))
    throw badRequest(
      `error decoding YAML: json: cannot unmarshal ${Array.isArray(body) ? 'array' : typeof body} into Go value of type map[string]interface {}`,
    );
  const config = dropNulls(body);
  const info = reg.info;
  if (config.apiVersion !== apiVersionOf(info) || config.kind !== info.kind)
    throw badRequest(`invalid object type: ${gvkString(config.apiVersion, config.kind)}`);
  const meta = isObject(config.metadata) ? config.metadata : {};
  if (meta.managedFields !== undefined) throw badRequest('metadata.managedFields must be nil');
  if (meta.name !== undefined && meta.name !== name)
    throw badRequest(
      `the name of the object (${goValue(meta.name)}) does not match the name on the URL (${name})`,
    );
  // The typed conversion of the configuration (structured-merge-diff's AsTyped) refuses
  // undeclared fields whatever fieldValidation says, values of the wrong type, and list items
  // without their keys. Upstream reports these as plain 500s; the configuration is to blame, so
  // kubeling answers 400 with the same message.
  const type = typeOfKind(info.group, info.kind);
  const ns = typeof meta.namespace === 'string' ? meta.namespace : '';
  const notTyped = (why: string) =>
    badRequest(
      `failed to create typed patch object (${ns}/${name}; ${gvkString(config.apiVersion, config.kind)}): ${why}`,
    );
  const parsed = info.schema.safeParse(config);
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const unknown = issues.find((i) => i.code === 'unrecognized_keys');
    if (unknown && unknown.code === 'unrecognized_keys') {
      const where = typedPath(config, type, unknown.path);
      throw notTyped(
        `${pathString([...where, fieldElement(unknown.keys[0] ?? '')])}: field not declared in schema`,
      );
    }
    for (const i of issues)
      if (i.code === 'invalid_type' && i.received !== 'undefined' && i.received !== 'float')
        throw notTyped(
          `${pathString(typedPath(config, type, i.path))}: expected ${smdType(i.expected)}, got ${smdType(i.received)}`,
        );
  }
  try {
    toFieldSet(config, type, true);
  } catch (e) {
    if (hasReason(e, 'BadRequest')) throw notTyped((e as Error).message);
    throw e;
  }
  return config;
}

/** A JSON type as structured-merge-diff's messages name it. */
function smdType(t: string): string {
  switch (t) {
    case 'object':
      return 'map';
    case 'array':
      return 'list';
    case 'number':
    case 'integer':
    case 'float':
      return 'numeric (int or float)';
    default:
      return t;
  }
}

/** A zod issue path as field path elements: list indexes become the item's keys. */
function typedPath(
  value: unknown,
  type: TypeNode | undefined,
  zodPath: (string | number)[],
): string[] {
  const out: string[] = [];
  let cur = value;
  let t = type;
  for (const seg of zodPath) {
    if (typeof seg === 'number') {
      const list = t?.kind === 'list' ? t : undefined;
      const item = Array.isArray(cur) ? cur[seg] : undefined;
      if (list?.listType === 'map' && list.keys && isObject(item)) {
        const keys: JsonObject = {};
        for (const k of list.keys) keys[k] = item[k] ?? list.keyDefaults?.[k];
        out.push(keyElement(keys));
      } else if (list?.listType === 'set') out.push(valueElement(item));
      else out.push(`i:${seg}`);
      cur = item;
      t = list?.items;
    } else {
      out.push(fieldElement(seg));
      cur = isObject(cur) ? cur[seg] : undefined;
      t = t?.kind === 'struct' ? t.fields[seg] : t?.kind === 'map' ? t.values : undefined;
    }
  }
  return out;
}

/**
 * lastAppliedManager: the fields of the last-applied annotation whose live values still match
 * it. Conflicts on those alone let `kubectl` take over from client-side apply.
 */
function allowedFromLastApplied(reg: ApplyTarget, live: KubeObject): FieldSet | undefined {
  const text = live.metadata.annotations?.[lastAppliedAnnotation];
  if (!text) return undefined;
  let lastApplied: unknown;
  try {
    lastApplied = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(lastApplied) || lastApplied.apiVersion !== apiVersionOf(reg.info)) return undefined;
  const type = typeOfKind(reg.info.group, reg.info.kind);
  const cleaned = dropNulls(lastApplied);
  const c = compareFields(cleaned, withoutManagedFields(live), type);
  return toFieldSet(cleaned, type).difference(c.modified).difference(c.added).difference(c.removed);
}

/**
 * buildLastApplied: the configuration as sent (nulls included) without the annotation itself,
 * as Go's encoder writes it: keys sorted, a newline at the end.
 */
function lastAppliedOf(config: JsonObject): string {
  const copy = structuredClone(config);
  const meta = isObject(copy.metadata) ? copy.metadata : undefined;
  const annotations = meta && isObject(meta.annotations) ? meta.annotations : undefined;
  // An emptied map stays as `{}`, as unstructured.SetAnnotations leaves it.
  if (annotations) delete annotations[lastAppliedAnnotation];
  return `${JSON.stringify(sortKeys(copy))}\n`;
}

/** Go's encoding/json writes map keys sorted. */
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (!isObject(v)) return v;
  const out: JsonObject = {};
  for (const k of Object.keys(v).sort()) out[k] = sortKeys(v[k]);
  return out;
}

export async function applyObject(
  reg: ApplyTarget,
  ns: string | undefined,
  name: string,
  body: unknown,
  opts: WriteOptions,
  subresource?: string,
): Promise<WriteResult> {
  validateWriteOptions(opts, 'PatchOptions', true);
  const info = reg.info;
  const config = checkConfiguration(reg, body, name);
  const manager = opts.fieldManager as string;
  const force = opts.force === true;
  const type = typeOfKind(info.group, info.kind);
  const requestedRV = isObject(config.metadata) ? config.metadata.resourceVersion : undefined;
  const write = (nowMs: number): ManagedWrite => ({
    type,
    ignored: ignoredFields(info, subresource),
    manager,
    apiVersion: apiVersionOf(info),
    ...(subresource ? { subresource } : {}),
    now: rfc3339(nowMs),
  });

  // Lost races (another write between our read and our write) are retried on the new state.
  return retryOnConflict(
    async (): Promise<WriteResult> => {
      let live: KubeObject | undefined;
      try {
        live = await reg.get(ns, name);
      } catch (e) {
        if (!hasReason(e, 'NotFound')) throw e;
      }
      const nowMs = reg.clock.now();
      const zero = zeroObjectOf(info.group, info.version, info.kind);

      if (!live) {
        if (subresource) throw notFound(reg.gr, name);
        const base = structuredClone(zero);
        base.metadata = { name, ...(info.namespaced && ns ? { namespace: ns } : {}) };
        const r = patching(() => applyConfiguration([], base, config, write(nowMs), force, zero));
        const candidate = r.object as KubeObject;
        setManagedFields(candidate, r.managers);
        // Created by someone else meanwhile: the retry applies onto theirs.
        return await reg.create(ns, candidate, opts, 'preset');
      }

      const liveRV = live.metadata.resourceVersion ?? '';
      if (typeof requestedRV === 'string' && requestedRV && requestedRV !== liveRV)
        throw conflict(reg.gr, name);
      const managers = storedManagers(live);
      const base = withoutManagedFields(live) as JsonObject;
      let r = patching(() => applyConfiguration(managers, base, config, write(nowMs), force, zero));
      if (r.conflicts.length && !force) {
        const allowed = manager === kubectlManager ? allowedFromLastApplied(reg, live) : undefined;
        const remaining = allowed ? r.conflicts.filter((c) => !allowed.has(c.path)) : r.conflicts;
        if (remaining.length) throw applyConflict(remaining);
        r = patching(() => applyConfiguration(managers, base, config, write(nowMs), true, zero));
      }
      const candidate = r.object as KubeObject;
      const annotations = candidate.metadata.annotations;
      if (manager === kubectlManager && annotations?.[lastAppliedAnnotation])
        annotations[lastAppliedAnnotation] = lastAppliedOf(body as JsonObject);
      setManagedFields(candidate, r.managers);
      const { object: decoded, warnings } = reg.decodeBody(ns, candidate, opts);
      if (decoded.metadata.name !== name)
        throw badRequest(
          `the name of the object (${decoded.metadata.name ?? ''}) does not match the name on the URL (${name})`,
        );
      const obj = await reg.writeUpdate(decoded, live, subresource, opts, liveRV, 'preset');
      return { object: obj, warnings, code: 200 };
    },
    (e) => hasReason(e, 'AlreadyExists') || (!requestedRV && isConflict(e)),
  );
}
