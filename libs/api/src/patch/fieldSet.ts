/**
 * Field sets: which fields of an object a manager owns, as managedFields records them
 * (structured-merge-diff's fieldpath.Set, serialized as FieldsV1).
 *
 * A path is a list of path elements, each kept in its serialized form, so that equal elements
 * are equal strings:
 *   `f:<name>`       a struct field or map key                 (f:spec, f:labels, f:app)
 *   `k:<json>`       an item of an associative list by its keys (k:{"name":"nginx"})
 *   `v:<json>`       an item of a set by its value              (v:"example.com/finalizer")
 *   `i:<n>`          an item by index (lists without keys; rare)
 * A set holds *members* (owned paths) and *children* (sets under a path element); in FieldsV1
 * a node that is both a member and has children carries `".": {}`.
 *
 *   const owned = toFieldSet(deployment, typeOfKind('apps', 'Deployment'));
 *   owned.toFieldsV1();   // { "f:spec": { "f:replicas": {}, ... } }
 */
import { deepEqual } from '../meta/equality';
import type { JsonObject, ListType, TypeNode } from './types';
import { fieldType, isObject, itemType } from './types';
import { badPatch } from './errors';

export type Path = readonly string[];

export function fieldElement(name: string): string {
  return `f:${name}`;
}

/** Key fields sorted by name, as the serialized form orders them. */
export function keyElement(fields: Record<string, unknown>): string {
  const sorted: Record<string, unknown> = {};
  for (const k of Object.keys(fields).sort()) sorted[k] = fields[k];
  return `k:${JSON.stringify(sorted)}`;
}

export function valueElement(v: unknown): string {
  return `v:${JSON.stringify(v)}`;
}

export function indexElement(i: number): string {
  return `i:${i}`;
}

/** Go's value.ToString: strings quoted, everything else as JSON. */
function valueString(v: unknown): string {
  return JSON.stringify(v);
}

/** A path as conflict messages print it: `.spec.containers[name="nginx"].image`. */
export function pathString(path: Path): string {
  return path
    .map((pe) => {
      const body = pe.slice(2);
      switch (pe[0]) {
        case 'f':
          return `.${body}`;
        case 'k': {
          const fields = JSON.parse(body) as Record<string, unknown>;
          return `[${Object.entries(fields)
            .map(([k, v]) => `${k}=${valueString(v)}`)
            .join(',')}]`;
        }
        case 'v':
          return `[=${valueString(JSON.parse(body))}]`;
        default:
          return `[${body}]`;
      }
    })
    .join('');
}

export class FieldSet {
  readonly members = new Set<string>();
  readonly children = new Map<string, FieldSet>();

  static of(...paths: Path[]): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.insert(p);
    return s;
  }

  insert(path: Path): void {
    if (path.length === 0) return;
    const parent = path.slice(0, -1).reduce<FieldSet>((set, pe) => set.child(pe), this);
    parent.members.add(path[path.length - 1] as string);
  }

  /** The child set under `pe`, created when missing. */
  child(pe: string): FieldSet {
    let c = this.children.get(pe);
    if (!c) {
      c = new FieldSet();
      this.children.set(pe, c);
    }
    return c;
  }

  has(path: Path): boolean {
    if (path.length === 0) return false;
    const [head, ...rest] = path as [string, ...string[]];
    if (rest.length === 0) return this.members.has(head);
    return this.children.get(head)?.has(rest) ?? false;
  }

  isEmpty(): boolean {
    if (this.members.size) return false;
    for (const c of this.children.values()) if (!c.isEmpty()) return false;
    return true;
  }

  clone(): FieldSet {
    return this.union(new FieldSet());
  }

  union(o: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) out.members.add(m);
    for (const m of o.members) out.members.add(m);
    for (const pe of new Set([...this.children.keys(), ...o.children.keys()])) {
      const a = this.children.get(pe) ?? new FieldSet();
      const b = o.children.get(pe) ?? new FieldSet();
      const u = a.union(b);
      if (!u.isEmpty()) out.children.set(pe, u);
    }
    return out;
  }

  /** Paths in this set and not in `o`; members of `o` do not remove what lies below them. */
  difference(o: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) if (!o.members.has(m)) out.members.add(m);
    for (const [pe, c] of this.children) {
      const other = o.children.get(pe);
      const d = other ? c.difference(other) : c.clone();
      if (!d.isEmpty()) out.children.set(pe, d);
    }
    return out;
  }

  /** Like difference, but a member of `o` also removes everything below it. */
  recursiveDifference(o: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) if (!o.members.has(m)) out.members.add(m);
    for (const [pe, c] of this.children) {
      if (o.members.has(pe)) continue;
      const other = o.children.get(pe);
      const d = other ? c.recursiveDifference(other) : c.clone();
      if (!d.isEmpty()) out.children.set(pe, d);
    }
    return out;
  }

  intersection(o: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) if (o.members.has(m)) out.members.add(m);
    for (const [pe, c] of this.children) {
      const other = o.children.get(pe);
      if (!other) continue;
      const i = c.intersection(other);
      if (!i.isEmpty()) out.children.set(pe, i);
    }
    return out;
  }

  /** Every member path, parents before children. */
  paths(prefix: Path = []): string[][] {
    const out: string[][] = [];
    for (const pe of sortedElements(new Set([...this.members, ...this.children.keys()]))) {
      if (this.members.has(pe)) out.push([...prefix, pe]);
      const c = this.children.get(pe);
      if (c) out.push(...c.paths([...prefix, pe]));
    }
    return out;
  }

  /** The FieldsV1 JSON object. */
  toFieldsV1(): JsonObject {
    const out: JsonObject = {};
    for (const pe of sortedElements(new Set([...this.members, ...this.children.keys()]))) {
      const c = this.children.get(pe);
      const node: JsonObject = {};
      if (c && !c.isEmpty()) {
        if (this.members.has(pe)) node['.'] = {};
        Object.assign(node, c.toFieldsV1());
      }
      if (this.members.has(pe) || Object.keys(node).length) out[pe] = node;
    }
    return out;
  }

  /** Parses FieldsV1; throws a 400 Status error on anything that is not a FieldsV1 object. */
  static fromFieldsV1(v: unknown): FieldSet {
    const out = new FieldSet();
    if (!isObject(v)) throw badPatch('FieldsV1 must be a JSON object');
    for (const [pe, child] of Object.entries(v)) {
      if (pe === '.') continue;
      if (!/^[fkvi]:/.test(pe)) throw badPatch(`unknown path element type: ${pe}`);
      if (!isObject(child)) throw badPatch(`FieldsV1 node ${pe} must be an object`);
      const keys = Object.keys(child);
      if (keys.length === 0 || '.' in child) out.members.add(pe);
      if (keys.some((k) => k !== '.')) {
        const c = FieldSet.fromFieldsV1(child);
        if (!c.isEmpty()) out.children.set(pe, c);
      }
    }
    return out;
  }
}

/** Fields, then keys, then values, then indexes; alphabetical within a kind. */
function sortedElements(pes: Set<string>): string[] {
  const rank = (pe: string) => 'fkvi'.indexOf(pe[0] ?? 'i');
  return [...pes].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The path element of a list item: its keys (map lists), its value (sets), or its index.
 * `strict` (apply configurations) refuses a map item without its keys with a 400 naming the
 * list (`at`), as upstream does; stored objects fall back to the index instead.
 */
export function itemElement(
  list: ListType | undefined,
  item: unknown,
  index: number,
  strict: boolean,
  at: Path = [],
): string {
  if (list?.listType === 'set') return valueElement(item);
  if (list?.listType === 'map' && list.keys) {
    const fields: Record<string, unknown> = {};
    for (const k of list.keys) {
      const v = isObject(item) ? item[k] : undefined;
      const d = list.keyDefaults?.[k];
      if (v !== undefined && v !== null) fields[k] = v;
      else if (d !== undefined) fields[k] = d;
      else if (strict)
        throw badPatch(
          `${at.length ? `${pathString(at)}: ` : ''}element ${index}: associative list with keys has an element that omits key field ${JSON.stringify(k)} (and doesn't have default value)`,
        );
      else return indexElement(index);
    }
    return keyElement(fields);
  }
  return indexElement(index);
}

/** Whether a list (by its type) merges item by item; atomic and deduced lists do not. */
export function isAssociative(list: TypeNode | undefined): list is ListType {
  return list?.kind === 'list' && list.listType !== 'atomic';
}

function isAtomic(t: TypeNode | undefined): boolean {
  if (!t) return false;
  if (t.kind === 'scalar') return true;
  if (t.kind === 'list') return t.listType === 'atomic';
  return t.atomic === true;
}

function isEmptyContainer(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (Array.isArray(v)) return v.length === 0;
  return isObject(v) && Object.keys(v).length === 0;
}

/**
 * Every field `value` sets (the set an apply configuration claims, or an object's content):
 * scalars, atomic lists/maps/structs and empty objects are leaves; map entries and list items
 * are members; struct fields count only through their leaves.
 */
export function toFieldSet(value: unknown, type: TypeNode | undefined, strict = false): FieldSet {
  const set = new FieldSet();
  walkToFieldSet(value, type, [], set, strict);
  return set;
}

function walkToFieldSet(
  value: unknown,
  type: TypeNode | undefined,
  path: string[],
  set: FieldSet,
  strict: boolean,
): void {
  if (isObject(value)) {
    if (isAtomic(type) && type?.kind !== 'scalar') {
      set.insert(path);
      return;
    }
    const isMap = type?.kind === 'map';
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      const p = [...path, fieldElement(k)];
      walkToFieldSet(v, fieldType(type, k), p, set, strict);
      if (v === null || (isObject(v) && Object.keys(v).length === 0) || isMap) set.insert(p);
    }
    return;
  }
  if (Array.isArray(value)) {
    if (!isAssociative(type)) {
      set.insert(path);
      return;
    }
    value.forEach((item, i) => {
      const p = [...path, itemElement(type, item, i, strict, path)];
      walkToFieldSet(item, itemType(type), p, set, strict);
      set.insert(p);
    });
    return;
  }
  set.insert(path);
}

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

/**
 * What changed from `lhs` to `rhs` (typed.Compare): leaves added, modified or removed, plus every
 * non-leaf node that appears or disappears as a whole (so a new map is owned with its `.`).
 * `undefined` means absent; `null` (only in zero objects) means present but empty.
 */
export function compare(lhs: unknown, rhs: unknown, type: TypeNode | undefined): Comparison {
  const c: Comparison = {
    added: new FieldSet(),
    modified: new FieldSet(),
    removed: new FieldSet(),
  };
  walkCompare(lhs, rhs, type, [], c);
  return c;
}

function leaf(lhs: unknown, rhs: unknown, path: string[], c: Comparison): void {
  if (lhs === undefined) c.added.insert(path);
  else if (rhs === undefined) c.removed.insert(path);
  else if (!deepEqual(lhs, rhs)) c.modified.insert(path);
}

function walkCompare(
  lhs: unknown,
  rhs: unknown,
  type: TypeNode | undefined,
  path: string[],
  c: Comparison,
): void {
  if (lhs === undefined && rhs === undefined) return;
  const objects =
    (isObject(lhs) || lhs === null || lhs === undefined) &&
    (isObject(rhs) || rhs === null || rhs === undefined) &&
    (isObject(lhs) || isObject(rhs));
  const lists =
    (Array.isArray(lhs) || lhs === null || lhs === undefined) &&
    (Array.isArray(rhs) || rhs === null || rhs === undefined) &&
    (Array.isArray(lhs) || Array.isArray(rhs));
  const empty = isEmptyContainer(lhs) && isEmptyContainer(rhs);
  if (objects && !(isAtomic(type) && type?.kind !== 'scalar') && !empty && path.length >= 0) {
    const l = isObject(lhs) ? lhs : {};
    const r = isObject(rhs) ? rhs : {};
    for (const k of new Set([...Object.keys(l), ...Object.keys(r)])) {
      if (l[k] === undefined && r[k] === undefined) continue;
      walkCompare(l[k], r[k], fieldType(type, k), [...path, fieldElement(k)], c);
    }
    nodeAddedOrRemoved(lhs, rhs, path, c);
    return;
  }
  if (lists && isAssociative(type) && !empty) {
    const l = indexItems(type, Array.isArray(lhs) ? lhs : []);
    const r = indexItems(type, Array.isArray(rhs) ? rhs : []);
    for (const pe of new Set([...l.keys(), ...r.keys()]))
      walkCompare(l.get(pe), r.get(pe), itemType(type), [...path, pe], c);
    nodeAddedOrRemoved(lhs, rhs, path, c);
    return;
  }
  if (path.length) leaf(lhs, rhs, path, c);
}

function nodeAddedOrRemoved(lhs: unknown, rhs: unknown, path: string[], c: Comparison): void {
  if (!path.length) return;
  if (lhs === undefined) c.added.insert(path);
  else if (rhs === undefined) c.removed.insert(path);
}

/** Items of an associative list by path element; a duplicate keeps its first occurrence. */
function indexItems(type: ListType, items: unknown[]): Map<string, unknown> {
  const out = new Map<string, unknown>();
  items.forEach((item, i) => {
    const pe = itemElement(type, item, i, false);
    if (!out.has(pe)) out.set(pe, item);
  });
  return out;
}

/**
 * Adds, for every struct field with owned children, the field itself as a member
 * (EnsureNamedFieldsAreMembers): apply's pruning then removes a struct field once nothing below
 * it is owned any more. Map keys and list items are left alone.
 */
export function withNamedFieldsAsMembers(set: FieldSet, type: TypeNode | undefined): FieldSet {
  const out = new FieldSet();
  for (const m of set.members) out.members.add(m);
  for (const [pe, c] of set.children) {
    let childType: TypeNode | undefined;
    if (pe.startsWith('f:')) {
      childType = fieldType(type, pe.slice(2));
      const isStructField = !type || type.kind === 'struct';
      if (isStructField && !c.isEmpty()) out.members.add(pe);
    } else {
      childType = itemType(type);
    }
    const e = withNamedFieldsAsMembers(c, childType);
    if (!e.isEmpty()) out.children.set(pe, e);
  }
  return out;
}
