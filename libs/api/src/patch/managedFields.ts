/**
 * managedFields: who owns which field, and how writes move ownership — the rules of
 * apimachinery's field manager on top of structured-merge-diff's Updater.
 *
 * Update (POST, PUT, non-apply PATCH): the fields a write adds or changes become the writer's,
 * taken away from every other manager; removed fields leave every manager. A write that changes
 * nothing records nothing. An object without managedFields (created before tracking, or cleared
 * by the client) stays untracked until its next apply.
 *
 * Apply (server-side apply): the applier's set becomes exactly the fields of its configuration;
 * the configuration is merged into the object; fields the applier owned before and no longer
 * applies are removed unless another manager owns them; a change to a field another manager
 * owns is a conflict, unless forced (then ownership moves).
 *
 * Managers are identified by (manager, operation, apiVersion for Update, subresource). The
 * server's own metadata (name, uid, resourceVersion...) is never owned.
 */
import { deepEqual } from '../meta/equality';
import type { ManagedFieldsEntry } from '../meta/objectMeta';
import type { Comparison, Path } from './fieldSet';
import { compare, FieldSet, fieldElement, toFieldSet, withNamedFieldsAsMembers } from './fieldSet';
import { mergeValues, removeItems } from './structuredMerge';
import type { JsonObject, TypeNode } from './types';

export type Operation = 'Apply' | 'Update';

export interface Manager {
  manager: string;
  operation: Operation;
  apiVersion: string;
  subresource?: string;
  time?: string;
  fields: FieldSet;
}

/** What identifies a manager entry: appliers keep theirs across API versions. */
export function managerKey(
  m: Pick<Manager, 'manager' | 'operation' | 'apiVersion' | 'subresource'>,
): string {
  return JSON.stringify([
    m.manager,
    m.operation,
    m.operation === 'Apply' ? '' : m.apiVersion,
    m.subresource ?? '',
  ]);
}

/** Decodes metadata.managedFields; throws when an entry is not a valid FieldsV1 entry. */
export function decodeManagedFields(entries: readonly ManagedFieldsEntry[] | undefined): Manager[] {
  const out: Manager[] = [];
  for (const e of entries ?? []) {
    if (e.operation !== 'Apply' && e.operation !== 'Update')
      throw new Error(`operation must be Apply or Update, not ${String(e.operation)}`);
    if (e.fieldsType !== undefined && e.fieldsType !== 'FieldsV1')
      throw new Error(`fieldsType must be FieldsV1, not ${e.fieldsType}`);
    const m: Manager = {
      manager: e.manager ?? '',
      operation: e.operation,
      apiVersion: e.apiVersion ?? '',
      fields: FieldSet.fromFieldsV1(e.fieldsV1 ?? {}),
    };
    if (e.subresource) m.subresource = e.subresource;
    if (e.time) m.time = e.time;
    out.push(m);
  }
  return out;
}

/**
 * Encodes managers as metadata.managedFields, in upstream's order: Apply before Update, then by
 * time (seconds), manager name, apiVersion and subresource.
 */
export function encodeManagedFields(managers: readonly Manager[]): ManagedFieldsEntry[] {
  const seconds = (t: string | undefined) => (t ? Math.floor(Date.parse(t) / 1000) : 0);
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...managers]
    .filter((m) => !m.fields.isEmpty())
    .sort(
      (p, q) =>
        cmp(p.operation, q.operation) ||
        seconds(p.time) - seconds(q.time) ||
        cmp(p.manager, q.manager) ||
        cmp(p.apiVersion, q.apiVersion) ||
        cmp(p.subresource ?? '', q.subresource ?? ''),
    )
    .map((m) => {
      // ManagedFieldsEntry fields are all omitempty: an unnamed manager has no `manager` key.
      const e: ManagedFieldsEntry = {};
      if (m.manager) e.manager = m.manager;
      e.operation = m.operation;
      e.apiVersion = m.apiVersion;
      if (m.time) e.time = m.time;
      e.fieldsType = 'FieldsV1';
      e.fieldsV1 = m.fields.toFieldsV1();
      if (m.subresource) e.subresource = m.subresource;
      return e;
    });
}

/** The metadata the server owns; stripped from every set (stripmeta). */
const serverOwned: Path[] = [
  ['f:apiVersion'],
  ['f:kind'],
  ['f:metadata'],
  ...[
    'name',
    'namespace',
    'creationTimestamp',
    'selfLink',
    'uid',
    'clusterName',
    'generation',
    'managedFields',
    'resourceVersion',
  ].map((f) => ['f:metadata', fieldElement(f)]),
];
const serverOwnedSet = FieldSet.of(...serverOwned);

/** How many Update managers are kept before the oldest are merged into `ancient-changes`. */
export const maxUpdateManagers = 10;
const ancientChanges = 'ancient-changes';

export interface ManagedWrite {
  /** The merge type of the kind. */
  type: TypeNode;
  /** Fields this endpoint does not own (the main resource's status, the status endpoint's spec). */
  ignored: FieldSet;
  manager: string;
  apiVersion: string;
  subresource?: string;
  /** metav1.Time of the write. */
  now: string;
}

function filterComparison(c: Comparison, ignored: FieldSet): Comparison {
  return {
    added: c.added.recursiveDifference(ignored),
    modified: c.modified.recursiveDifference(ignored),
    removed: c.removed.recursiveDifference(ignored),
  };
}

function stripAndCap(managers: Manager[]): Manager[] {
  const kept = managers
    .map((m) => ({ ...m, fields: m.fields.difference(serverOwnedSet) }))
    .filter((m) => !m.fields.isEmpty());
  return capUpdateManagers(kept);
}

/** capmanagers: beyond ten Update entries, the oldest collapse into one `ancient-changes` entry. */
function capUpdateManagers(managers: Manager[]): Manager[] {
  const updates = managers.filter((m) => m.operation === 'Update');
  if (updates.length <= maxUpdateManagers) return managers;
  const byAge = [...updates].sort((a, b) => (a.time ?? '').localeCompare(b.time ?? ''));
  const out = [...managers];
  let bucket = out.find((m) => m.manager === ancientChanges && m.operation === 'Update');
  for (const oldest of byAge) {
    if (out.filter((m) => m.operation === 'Update').length <= maxUpdateManagers) break;
    if (oldest === bucket) continue;
    out.splice(out.indexOf(oldest), 1);
    if (!bucket) {
      bucket = {
        manager: ancientChanges,
        operation: 'Update',
        apiVersion: oldest.apiVersion,
        fields: new FieldSet(),
      };
      if (oldest.time) bucket.time = oldest.time;
      out.push(bucket);
    }
    bucket.fields = bucket.fields.union(oldest.fields);
  }
  return out;
}

/**
 * Ownership after an Update write from `live` to `next`. Returns undefined when the object is
 * not tracked (it has no managers and is not being created).
 */
export function updateManagers(
  managers: readonly Manager[],
  live: unknown,
  next: unknown,
  w: ManagedWrite,
  creating: boolean,
): Manager[] | undefined {
  if (managers.length === 0 && !creating) return undefined;
  const c = filterComparison(compare(live, next, w.type), w.ignored);
  const changed = c.modified.union(c.added);
  const others = managers.map((m) => ({
    ...m,
    fields: m.fields.difference(changed).difference(c.removed),
  }));
  const mine = changed.difference(serverOwnedSet);
  if (mine.isEmpty()) return stripAndCap(others);
  const key = managerKey({ ...w, operation: 'Update' });
  const previous = others.find((m) => managerKey(m) === key);
  const entry: Manager = {
    manager: w.manager,
    operation: 'Update',
    apiVersion: w.apiVersion,
    time: w.now,
    fields: previous ? previous.fields.union(mine) : mine,
  };
  if (w.subresource) entry.subresource = w.subresource;
  return stripAndCap([...others.filter((m) => m !== previous), entry]);
}

export interface Conflict {
  manager: Manager;
  path: string[];
}

export interface ApplyResult {
  /** The merged object, or undefined when conflicts stop the apply. */
  object?: JsonObject;
  managers: Manager[];
  conflicts: Conflict[];
  /** Whether the object's content (not its managedFields) changed. */
  changed: boolean;
}

/**
 * Server-side apply of `config` onto `live` (the kind's zero object when creating). With
 * `force`, conflicting fields move to the applier instead of failing.
 */
export function applyConfiguration(
  managers: readonly Manager[],
  live: JsonObject,
  config: JsonObject,
  w: ManagedWrite,
  force: boolean,
  zero: JsonObject,
): ApplyResult {
  let current = [...managers];
  if (current.length === 0) {
    // An object nobody owns yet: its content becomes "before-first-apply"'s, so applying over
    // it can conflict instead of silently taking everything.
    current =
      updateManagers(
        [],
        zero,
        live,
        { ...w, manager: 'before-first-apply', subresource: undefined },
        true,
      ) ?? [];
  }
  const applyKey = managerKey({ ...w, operation: 'Apply' });
  const last = current.find((m) => managerKey(m) === applyKey);
  const configSet = toFieldSet(config, w.type, true).recursiveDifference(w.ignored);
  const applier: Manager = {
    manager: w.manager,
    operation: 'Apply',
    apiVersion: w.apiVersion,
    fields: configSet,
  };
  if (w.subresource) applier.subresource = w.subresource;
  if (last?.time) applier.time = last.time;
  const others = current.filter((m) => m !== last);

  let merged = mergeValues(live, config, w.type) as JsonObject;
  if (last && !last.fields.isEmpty())
    merged = prune(merged, [...others, applier], last.fields, w.type);

  const c = filterComparison(compare(live, merged, w.type), w.ignored);
  const changedFields = c.modified.union(c.added);
  const conflicts: Conflict[] = [];
  for (const m of others)
    for (const path of m.fields.intersection(changedFields).paths())
      conflicts.push({ manager: m, path });
  if (conflicts.length && !force) return { managers: [...managers], conflicts, changed: false };

  const rest = others.map((m) => ({
    ...m,
    fields: m.fields.difference(changedFields).difference(c.removed),
  }));
  const changed = !deepEqual(withoutManagedFields(live), withoutManagedFields(merged));
  if (changed) applier.time = w.now;
  return { object: merged, managers: stripAndCap([...rest, applier]), conflicts, changed };
}

function withoutManagedFields(o: JsonObject): JsonObject {
  const meta = o.metadata;
  if (meta === null || typeof meta !== 'object') return o;
  const { managedFields: _m, ...restMeta } = meta as JsonObject;
  return { ...o, metadata: restMeta };
}

/**
 * Removes from `merged` what the applier owned last time (`last`) and nobody owns now — with
 * struct fields that end up owning nothing below them — and nothing else.
 */
function prune(
  merged: JsonObject,
  managers: readonly Manager[],
  last: FieldSet,
  type: TypeNode,
): JsonObject {
  const ensure = (s: FieldSet) => withNamedFieldsAsMembers(s, type);
  const lastSet = ensure(last);
  const owned = ensure(managers.reduce((acc, m) => acc.union(m.fields), new FieldSet()));
  const mergedSet = ensure(toFieldSet(merged, type));
  const firstPass = removeItems(merged, lastSet, type);
  const firstSet = ensure(toFieldSet(firstPass, type));
  // Add back whatever some manager still owns.
  const ownedBack = removeItems(merged, mergedSet.difference(firstSet.union(owned)), type);
  // And whatever the applier never owned.
  const backSet = ensure(toFieldSet(ownedBack, type));
  // The server's metadata (and `metadata` itself, which the applier "owned" through its labels)
  // is nobody's to prune: without it the object would lose its name.
  return removeItems(
    merged,
    mergedSet.difference(backSet).intersection(lastSet).difference(serverOwnedSet),
    type,
  ) as JsonObject;
}
