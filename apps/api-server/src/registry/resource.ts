/**
 * The generic registry of one kind (genericregistry.Store upstream): get, list, watch, create,
 * update, patch, delete, deletecollection, with the api-server's order of work —
 * decode → default → system metadata → strategy → validate → admission → store (CAS).
 * Kind-specific behaviour (graceful pod deletion, ClusterIP allocation, namespace finalization)
 * plugs in through `KindHooks`. Every write records managedFields (managedFields.ts); server-side
 * apply (apply.ts) computes them itself and hands over a finished candidate.
 */
import type {
  Clock,
  GroupResource,
  JsonObject,
  KindInfo,
  KubeObject,
  TypeNode,
} from '@kubeling/api';
import {
  applyDefaults,
  apiVersionOf,
  badRequest,
  checkFieldSelectorSupported,
  checkTypeMeta,
  conflict,
  decode,
  deepEqual,
  hasReason,
  listKindOf,
  mergePatch,
  notFound,
  withEncodedItems,
  rfc3339,
  selectableFields,
  statusSuccess,
  strategicMergePatch,
  typeOfKind,
  validateCreate,
  validateUpdate,
} from '@kubeling/api';
import type { StorageInterface } from '@kubeling/store';
import type { DeleteOptions, ListOptions, WriteOptions } from './options';
import { applyObject } from './apply';
import { isConflict, retryOnConflict } from './conflictRetry';
import { fieldManagerOf, recordUpdate, validateWriteOptions } from './managedFields';
import { carryUpdateMetadata, fillCreateMetadata, stampTypeMeta } from './objectMeta';
import { jsonPatch, patching } from './patch';
import { unsupportedPatch, type PatchType } from './patchTypes';
import type { WriteResult } from './results';

export interface DeleteResult {
  /** The object (still terminating, or as deleted) or a Success Status. */
  body: unknown;
  code: 200 | 202;
}

export interface ObjectList {
  kind: string;
  apiVersion: string;
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  items: KubeObject[];
}

/** What a kind may add to the generic flow. All optional. */
export interface KindHooks {
  /** Runs after validation and admission, before the write: allocate resources (ClusterIPs...). */
  beforeCreate?(obj: KubeObject, dryRun: boolean): Promise<void>;
  /** Undo beforeCreate when the write failed. */
  createFailed?(obj: KubeObject): Promise<void>;
  beforeUpdate?(obj: KubeObject, old: KubeObject, dryRun: boolean): Promise<void>;
  /** After a successful update: release what `old` held and `obj` no longer does. */
  afterUpdate?(obj: KubeObject, old: KubeObject): Promise<void>;
  /** Undo beforeUpdate when the write failed. */
  updateFailed?(obj: KubeObject, old: KubeObject): Promise<void>;
  afterDelete?(obj: KubeObject): Promise<void>;
  /**
   * Graceful deletion (pods): the grace period to apply, or undefined to delete at once.
   * Called only when the object is not already past its grace period.
   */
  gracePeriod?(obj: KubeObject, requested: number | undefined): number | undefined;
  /** Replaces the generic delete entirely (namespaces). */
  delete?(
    reg: ResourceRegistry,
    ns: string,
    name: string,
    opts: DeleteOptions,
  ): Promise<DeleteResult>;
}

/** Admission that runs for every kind (namespace lifecycle). */
export interface Admission {
  admitCreate(info: KindInfo, obj: KubeObject): Promise<void>;
}

export interface RegistryDeps {
  store: StorageInterface;
  clock: Clock;
  admission: Admission;
  hooks?: KindHooks;
}

/**
 * How a write records managedFields: `update` computes them from what changed (POST, PUT,
 * non-apply PATCH); `preset` keeps what the candidate carries (server-side apply did the work).
 */
export type Tracking = 'update' | 'preset';

export class ResourceRegistry {
  readonly gr: GroupResource;
  private readonly store: StorageInterface;
  readonly clock: Clock;
  private readonly admission: Admission;
  readonly hooks: KindHooks;

  constructor(
    readonly info: KindInfo,
    deps: RegistryDeps,
  ) {
    this.gr = { group: info.group, resource: info.resource };
    this.store = deps.store;
    this.clock = deps.clock;
    this.admission = deps.admission;
    this.hooks = deps.hooks ?? {};
  }

  private nsKey(ns: string | undefined): string {
    return this.info.namespaced ? (ns ?? '') : '';
  }

  async get(ns: string | undefined, name: string): Promise<KubeObject> {
    const obj = await this.store.get(this.gr, this.nsKey(ns), name);
    if (!obj) throw notFound(this.gr, name);
    return obj;
  }

  /** A predicate for selectors, shared by list and watch. */
  matcher(ns: string | undefined, opts: ListOptions): (o: KubeObject) => boolean {
    checkFieldSelectorSupported(this.info, opts.fieldSelector);
    const scoped = this.info.namespaced && ns ? ns : undefined;
    const labels = opts.labelSelector;
    const fields = opts.fieldSelector;
    return (o) =>
      (scoped === undefined || o.metadata.namespace === scoped) &&
      (labels.empty() || labels.matches(o.metadata.labels)) &&
      (fields.empty() || fields.matches(selectableFields(this.info, o)));
  }

  /**
   * A list, served by the storage with the request's resourceVersion semantics (the watch cache
   * answers from memory). The items are shared with the cache: read-only. When the storage
   * kept each item's JSON, the list carries it (withEncodedItems) so the transports write the
   * body without serializing the objects again.
   */
  async list(ns: string | undefined, opts: ListOptions): Promise<ObjectList> {
    const filter = this.matcher(ns, opts);
    const page = await this.store.list(this.gr, {
      namespace: this.info.namespaced ? ns : undefined,
      filter,
      limit: opts.limit,
      continue: opts.continue,
      indexFields: exactFields(opts),
      resourceVersion: opts.resourceVersion,
      resourceVersionMatch: opts.resourceVersionMatch,
    });
    const metadata: ObjectList['metadata'] = { resourceVersion: page.resourceVersion };
    if (page.continue) metadata.continue = page.continue;
    if (page.remainingItemCount !== undefined)
      metadata.remainingItemCount = page.remainingItemCount;
    const list: ObjectList = {
      kind: listKindOf(this.info),
      apiVersion: apiVersionOf(this.info),
      metadata,
      items: page.items,
    };
    return page.encodedItems ? withEncodedItems(list, page.encodedItems) : list;
  }

  /** Decodes a body into this kind and fixes its namespace the way rest.BeforeCreate does. */
  decodeBody(ns: string | undefined, raw: unknown, opts: WriteOptions) {
    checkTypeMeta(this.info, raw);
    const decoded = decode(this.info, raw, opts.fieldValidation);
    const obj = decoded.object;
    applyDefaults(this.info, obj);
    if (this.info.namespaced) {
      if (obj.metadata.namespace && obj.metadata.namespace !== ns)
        throw badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      obj.metadata.namespace = ns;
    } else {
      delete obj.metadata.namespace;
    }
    stampTypeMeta(this.info, obj);
    return decoded;
  }

  async create(
    ns: string | undefined,
    raw: unknown,
    opts: WriteOptions,
    tracking: Tracking = 'update',
  ): Promise<WriteResult> {
    validateWriteOptions(opts, 'CreateOptions', false);
    const { object: obj, warnings } = this.decodeBody(ns, raw, opts);
    const now = this.clock.now();
    if (tracking === 'update')
      recordUpdate(this.info, undefined, obj, {
        manager: fieldManagerOf(opts),
        nowMs: now,
        fromRequest: true,
      });
    fillCreateMetadata(this.info, obj, now);
    this.info.prepareForCreate?.(obj);
    await this.admission.admitCreate(this.info, obj);
    // Allocation (ClusterIPs, NodePorts) precedes validation, as upstream's service REST does:
    // some fields are only valid once allocated.
    await this.hooks.beforeCreate?.(obj, opts.dryRun);
    try {
      validateCreate(this.info, obj);
      if (opts.dryRun) return { object: obj, warnings, code: 201 };
      return { object: await this.store.create(this.gr, obj), warnings, code: 201 };
    } catch (e) {
      if (!opts.dryRun) await this.hooks.createFailed?.(obj);
      throw e;
    }
  }

  /**
   * Builds the object to store from a candidate (a PUT body or a patched object) and the current
   * one, validates it and writes it with compare-and-swap on `expectedRV`. A write that changes
   * nothing is not stored (no new resourceVersion, no watch event), as etcd3's store skips it.
   * `subresource` is `status` (only status changes), `scale` (recorded as such in
   * managedFields) or undefined.
   */
  async writeUpdate(
    candidate: KubeObject,
    old: KubeObject,
    subresource: string | undefined,
    opts: WriteOptions,
    expectedRV: string,
    tracking: Tracking = 'update',
  ): Promise<KubeObject> {
    // The precondition is checked before anything else, and before a no-op is noticed (upstream's
    // Update compares resourceVersions first): a client that read an older version gets 409 even
    // when what it writes equals what is stored, or a read-modify-write loop silently loses the
    // increments of every client whose write happened to match the winner's.
    if (expectedRV && expectedRV !== old.metadata.resourceVersion)
      throw conflict(this.gr, old.metadata.name ?? '');
    let obj: KubeObject;
    const record = (next: KubeObject, fromRequest: boolean) =>
      recordUpdate(this.info, old, next, {
        manager: fieldManagerOf(opts),
        nowMs: this.clock.now(),
        fromRequest,
        ...(subresource ? { subresource } : {}),
      });
    if (subresource === 'status') {
      // The status endpoint changes status only; everything else stays as stored.
      obj = structuredClone(old);
      if (candidate.status === undefined) delete obj.status;
      else obj.status = candidate.status;
      carryUpdateMetadata(this.info, obj, old);
      if (tracking === 'update') record(obj, false);
      else if (candidate.metadata.managedFields)
        obj.metadata.managedFields = candidate.metadata.managedFields;
      else delete obj.metadata.managedFields;
    } else {
      // Ownership follows what the client asked for, before the strategy restores status.
      if (tracking === 'update') record(candidate, subresource === undefined);
      obj = candidate;
      if (this.info.subresources.includes('status')) {
        if (old.status === undefined) delete obj.status;
        else obj.status = structuredClone(old.status);
      }
      // rest.BeforeUpdate: system metadata first, then the strategy (which may bump generation).
      carryUpdateMetadata(this.info, obj, old);
      this.info.prepareForUpdate?.(obj, old);
    }
    await this.hooks.beforeUpdate?.(obj, old, opts.dryRun);
    let stored: KubeObject;
    try {
      validateUpdate(this.info, obj, old);
      if (unchanged(obj, old)) return old;
      if (opts.dryRun) return obj;
      stored = await this.store.update(this.gr, obj, { expectedResourceVersion: expectedRV });
    } catch (e) {
      if (!opts.dryRun) await this.hooks.updateFailed?.(obj, old);
      throw e;
    }
    await this.hooks.afterUpdate?.(stored, old);
    return this.finishIfDeleting(stored);
  }

  /** shouldDeleteDuringUpdate: a terminating object whose last finalizer went away is deleted now. */
  private async finishIfDeleting(obj: KubeObject): Promise<KubeObject> {
    const m = obj.metadata;
    if (
      !m.deletionTimestamp ||
      (m.finalizers?.length ?? 0) > 0 ||
      (m.deletionGracePeriodSeconds ?? 0) > 0
    )
      return obj;
    if (this.hooks.delete) return obj; // namespaces finish through their own finalize flow
    try {
      return await this.removeNow(obj);
    } catch (e) {
      if (hasReason(e, 'NotFound') || hasReason(e, 'Conflict')) return obj;
      throw e;
    }
  }

  async update(
    ns: string | undefined,
    name: string,
    raw: unknown,
    opts: WriteOptions,
    subresource?: string,
  ): Promise<WriteResult> {
    validateWriteOptions(opts, 'UpdateOptions', false);
    const { object: candidate, warnings } = this.decodeBody(ns, raw, opts);
    if (candidate.metadata.name !== name)
      throw badRequest(
        `the name of the object (${candidate.metadata.name ?? ''}) does not match the name on the URL (${name})`,
      );
    const requestedRV = candidate.metadata.resourceVersion;
    // An unconditional update (no resourceVersion in the body) retries a lost race.
    return retryOnConflict(
      async () => {
        const old = await this.get(ns, name);
        const obj = await this.writeUpdate(
          structuredClone(candidate),
          old,
          subresource,
          opts,
          requestedRV || old.metadata.resourceVersion || '',
        );
        return { object: obj, warnings, code: 200 as const };
      },
      (e) => !requestedRV && isConflict(e),
    );
  }

  async patch(
    ns: string | undefined,
    name: string,
    patchType: PatchType,
    patch: unknown,
    opts: WriteOptions,
    subresource?: string,
  ): Promise<WriteResult> {
    if (patchType === 'apply') return applyObject(this, ns, name, patch, opts, subresource);
    validateWriteOptions(opts, 'PatchOptions', false);
    const mergeType = typeOfKind(this.info.group, this.info.kind);
    // A resourceVersion the patch itself carries is a precondition; otherwise the patch
    // applies to whatever is current, so a lost race is retried on the new state.
    const pinned = patchCarriesRV(patch);
    return retryOnConflict(
      async () => {
        const old = await this.get(ns, name);
        const patched = applyPatch(patchType, old, patch, mergeType) as KubeObject;
        const { object: candidate, warnings } = this.decodeBody(ns, patched, opts);
        if (candidate.metadata.name !== name)
          throw badRequest(
            `the name of the object (${candidate.metadata.name ?? ''}) does not match the name on the URL (${name})`,
          );
        // The patched object's resourceVersion is the old one unless the patch set another.
        const expectedRV = candidate.metadata.resourceVersion || old.metadata.resourceVersion || '';
        const obj = await this.writeUpdate(candidate, old, subresource, opts, expectedRV);
        return { object: obj, warnings, code: 200 as const };
      },
      (e) => !pinned && isConflict(e),
    );
  }

  /** A system transition written as is (no decoding or validation), with compare-and-swap on `cur`. */
  async writeRaw(obj: KubeObject, cur: KubeObject): Promise<KubeObject> {
    return this.store.update(this.gr, obj, {
      expectedResourceVersion: cur.metadata.resourceVersion ?? '',
    });
  }

  /** Removes an object from the store now (its finalization is complete). */
  async removeNow(obj: KubeObject): Promise<KubeObject> {
    const deleted = await this.store.delete(
      this.gr,
      this.nsKey(obj.metadata.namespace),
      obj.metadata.name ?? '',
      {
        expectedResourceVersion: obj.metadata.resourceVersion,
      },
    );
    await this.hooks.afterDelete?.(deleted);
    return deleted;
  }

  async delete(ns: string | undefined, name: string, opts: DeleteOptions): Promise<DeleteResult> {
    if (this.hooks.delete) return this.hooks.delete(this, ns ?? '', name, opts);
    return this.genericDelete(ns, name, opts);
  }

  /** Checks DeleteOptions.preconditions against the current object (409 as upstream). */
  checkPreconditions(obj: KubeObject, opts: DeleteOptions): void {
    const p = opts.preconditions;
    if (p?.uid && p.uid !== obj.metadata.uid)
      throw conflict(
        this.gr,
        obj.metadata.name ?? '',
        `Precondition failed: UID in precondition: ${p.uid}, UID in object meta: ${obj.metadata.uid ?? ''}`,
      );
    if (p?.resourceVersion && p.resourceVersion !== obj.metadata.resourceVersion)
      throw conflict(
        this.gr,
        obj.metadata.name ?? '',
        `Precondition failed: ResourceVersion in precondition: ${p.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion ?? ''}`,
      );
  }

  /**
   * BeforeDelete + the store delete: graceful deletion sets deletionTimestamp and waits (pods);
   * propagation policies Orphan / Foreground are recorded as the finalizers the garbage
   * collector acts on; everything else is deleted at once.
   */
  async genericDelete(
    ns: string | undefined,
    name: string,
    opts: DeleteOptions,
  ): Promise<DeleteResult> {
    // Without a resourceVersion precondition, a delete that lost a race retries on the new state.
    return retryOnConflict(
      async (): Promise<DeleteResult> => {
        const cur = await this.get(ns, name);
        this.checkPreconditions(cur, opts);
        const obj = structuredClone(cur);
        const m = obj.metadata;
        const finalizers = new Set(m.finalizers ?? []);
        if (opts.propagationPolicy === 'Orphan') finalizers.add('orphan');
        if (opts.propagationPolicy === 'Foreground') finalizers.add('foregroundDeletion');
        const now = this.clock.now();
        let grace: number | undefined;
        if (this.hooks.gracePeriod) {
          const already = m.deletionTimestamp !== undefined;
          grace = this.hooks.gracePeriod(obj, opts.gracePeriodSeconds);
          // A second delete may only shorten a pending grace period.
          if (already && grace !== undefined && grace >= (m.deletionGracePeriodSeconds ?? 0))
            grace = m.deletionGracePeriodSeconds;
        }
        const mustWait = (grace !== undefined && grace > 0) || finalizers.size > 0;
        if (mustWait) {
          const graceSeconds = grace ?? 0;
          const changed =
            !m.deletionTimestamp ||
            graceSeconds !== (m.deletionGracePeriodSeconds ?? 0) ||
            finalizers.size !== (m.finalizers?.length ?? 0);
          if (!changed) return { body: cur, code: 200 };
          if (finalizers.size) m.finalizers = [...finalizers];
          if (!m.deletionTimestamp || graceSeconds < (m.deletionGracePeriodSeconds ?? Infinity))
            m.deletionTimestamp = rfc3339(now + graceSeconds * 1000);
          m.deletionGracePeriodSeconds = graceSeconds;
          if (!cur.metadata.deletionTimestamp && m.generation !== undefined) m.generation += 1;
          if (opts.dryRun) return { body: obj, code: 200 };
          const stored = await this.store.update(this.gr, obj, {
            expectedResourceVersion: cur.metadata.resourceVersion,
          });
          return { body: stored, code: 200 };
        }
        if (opts.dryRun) return { body: cur, code: 200 };
        const deleted = await this.store.delete(this.gr, this.nsKey(ns), name, {
          expectedResourceVersion: cur.metadata.resourceVersion,
        });
        await this.hooks.afterDelete?.(deleted);
        return {
          body: this.info.kind === 'Pod' ? deleted : this.deletedStatus(deleted),
          code: 200,
        };
      },
      (e) => !opts.preconditions?.resourceVersion && isConflict(e),
    );
  }

  /** The Success Status upstream returns for kinds that do not return the deleted object. */
  deletedStatus(obj: KubeObject) {
    const details: { name: string; kind: string; group?: string; uid?: string } = {
      name: obj.metadata.name ?? '',
      kind: this.info.resource,
    };
    if (this.info.group) details.group = this.info.group;
    if (obj.metadata.uid) details.uid = obj.metadata.uid;
    return statusSuccess(details);
  }

  async deleteCollection(
    ns: string | undefined,
    listOpts: ListOptions,
    opts: DeleteOptions,
  ): Promise<ObjectList> {
    const list = await this.list(ns, { ...listOpts, limit: undefined, continue: undefined });
    const deleted: KubeObject[] = [];
    for (const item of list.items) {
      try {
        const r = await this.delete(item.metadata.namespace, item.metadata.name ?? '', opts);
        if (
          r.body &&
          typeof r.body === 'object' &&
          (r.body as { kind?: string }).kind === this.info.kind
        )
          deleted.push(r.body as KubeObject);
        else deleted.push(item);
      } catch (e) {
        if (!hasReason(e, 'NotFound')) throw e;
      }
    }
    return { ...list, items: deleted };
  }
}

/** The `field=value` requirements of a field selector: what an index of the storage can use. */
export function exactFields(opts: ListOptions): Record<string, string> | undefined {
  const exact = opts.fieldSelector.requirements.filter((r) => r.operator === '=');
  if (exact.length === 0) return undefined;
  return Object.fromEntries(exact.map((r) => [r.field, r.value]));
}

function patchCarriesRV(patch: unknown): boolean {
  return JSON.stringify(patch ?? null).includes('"resourceVersion"');
}

/** Equal but for the resourceVersion the candidate may or may not carry. */
function unchanged(obj: KubeObject, old: KubeObject): boolean {
  const strip = (o: KubeObject) => {
    const { resourceVersion: _rv, ...metadata } = o.metadata;
    return { ...o, metadata };
  };
  return deepEqual(strip(obj), strip(old));
}

/**
 * Applies a JSON, merge or strategic merge patch to a copy of `obj`. `mergeType` drives the
 * strategic merge (merge keys, patch strategies); without it every list is replaced. A patch
 * the functions cannot handle is a 400 (see `patching`).
 */
export function applyPatch(
  type: PatchType,
  obj: KubeObject,
  patch: unknown,
  mergeType?: TypeNode,
): unknown {
  return patching(() => patchCopy(type, obj, patch, mergeType));
}

function patchCopy(
  type: PatchType,
  obj: KubeObject,
  patch: unknown,
  mergeType: TypeNode | undefined,
): unknown {
  switch (type) {
    case 'json':
      return jsonPatch(obj, patch);
    case 'merge':
      if (patch === null || typeof patch !== 'object' || Array.isArray(patch))
        throw badRequest('error decoding patch: the patch must be a JSON object');
      return mergePatch(structuredClone(obj), patch);
    case 'strategic':
      if (patch === null || typeof patch !== 'object' || Array.isArray(patch))
        throw badRequest(
          `json: cannot unmarshal ${Array.isArray(patch) ? 'array' : typeof patch} into Go value of type map[string]interface {}`,
        );
      return strategicMergePatch(obj as JsonObject, patch as JsonObject, mergeType);
    default:
      throw unsupportedPatch();
  }
}
