/**
 * Applying a strategic merge patch (`application/strategic-merge-patch+json`) to an object, with
 * the semantics of apimachinery's strategicpatch as the api-server runs it (parallel deletion
 * lists merged, unmatched nulls ignored):
 *
 *   - objects merge key by key; `null` deletes a key;
 *   - lists follow the field's patch strategy: `merge` lists of objects merge item by item on the
 *     merge key (containers by name, ports by containerPort...), `merge` lists of scalars are
 *     unions (finalizers), every other list is replaced;
 *   - directives: `$patch: replace|delete` in an object or a list item, `$patch: replace` as a
 *     list item (replace the whole list), `$retainKeys` (drop every key not listed),
 *     `$deleteFromPrimitiveList/<field>` (remove scalars), `$setElementOrder/<field>` (final
 *     order of a merged list);
 *   - order of a merged list: `$setElementOrder` when given, otherwise patch items in patch
 *     order, interleaved with items only the server has at their relative positions.
 *
 *   const pod = strategicMergePatch(live, { spec: { containers: [{ name: 'c', image: 'x:2' }] } },
 *                                   typeOfKind('', 'Pod'));
 */
import type { ListType, TypeNode } from './types';
import { fieldType, isObject, itemType, type JsonObject } from './types';
import {
  badPatch,
  badPatchFormat,
  goValue,
  noMergeKey,
  unknownPatchType,
  unprocessablePatch,
} from './errors';

const directiveMarker = '$patch';
const retainKeysDirective = '$retainKeys';
const deleteFromPrimitiveListPrefix = '$deleteFromPrimitiveList';
const setElementOrderPrefix = '$setElementOrder';

/** Applies `patch` to a copy of `original`; neither argument is modified. */
export function strategicMergePatch(
  original: JsonObject,
  patch: JsonObject,
  type: TypeNode | undefined,
): JsonObject {
  return mergeMap(structuredClone(original), structuredClone(patch), type);
}

type ValueKind = 'object' | 'array' | 'scalar' | 'null';

function kindOf(v: unknown): ValueKind {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v === 'object' ? 'object' : 'scalar';
}

/** The second half of `$deleteFromPrimitiveList/<field>` and `$setElementOrder/<field>`. */
function directiveTarget(key: string, prefix: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) {
    if (prefix === deleteFromPrimitiveListPrefix) throw badPatchFormat.primitiveList();
    throw badPatchFormat.setElementOrder();
  }
  return key.slice(slash + 1);
}

function listMeta(type: TypeNode | undefined, key: string): { list?: ListType; item?: TypeNode } {
  const t = fieldType(type, key);
  if (t?.kind !== 'list') return {};
  return { list: t, item: itemType(t) };
}

/** Drops directive-carrying objects (and their keys) from a value that becomes new content. */
function removeDirectives(v: unknown): { value: unknown; keep: boolean } {
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const item of v) {
      const r = removeDirectives(item);
      if (r.keep) out.push(r.value);
    }
    return { value: out, keep: true };
  }
  if (isObject(v)) {
    if (directiveMarker in v) return { value: undefined, keep: false };
    for (const [k, child] of Object.entries(v)) {
      const r = removeDirectives(child);
      if (r.keep) v[k] = r.value;
      else delete v[k];
    }
    return { value: v, keep: true };
  }
  return { value: v, keep: true };
}

/** Unmatched nulls mean nothing once there is nothing to delete (IgnoreUnmatchedNulls). */
function discardNulls(v: unknown): void {
  if (Array.isArray(v)) v.forEach(discardNulls);
  else if (isObject(v))
    for (const [k, child] of Object.entries(v)) {
      if (child === null) delete v[k];
      else discardNulls(child);
    }
}

/** Puts patch content where the original has nothing to merge with. */
function setNew(target: JsonObject, key: string, patchValue: unknown): void {
  discardNulls(patchValue);
  const r = removeDirectives(patchValue);
  if (r.keep) target[key] = r.value;
  else delete target[key];
}

function mapDirective(directive: unknown, patch: JsonObject): JsonObject {
  if (directive === 'replace') {
    delete patch[directiveMarker];
    return patch;
  }
  if (directive === 'delete') return {};
  throw unknownPatchType(directive, patch);
}

/** `$retainKeys`: keys of the original not listed are cleared; the patch may only set listed keys. */
function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!(retainKeysDirective in patch)) return;
  const retain = patch[retainKeysDirective];
  delete patch[retainKeysDirective];
  if (!Array.isArray(retain)) throw badPatchFormat.retainKeys();
  const keep = new Set(retain);
  for (const [k, v] of Object.entries(patch)) {
    if (
      v === null ||
      k.startsWith(deleteFromPrimitiveListPrefix) ||
      k.startsWith(setElementOrderPrefix)
    )
      continue;
    if (!keep.has(k)) throw badPatchFormat.retainKeys();
  }
  for (const k of Object.keys(original)) if (!keep.has(k)) delete original[k];
}

function mergeMap(
  original: JsonObject | undefined,
  patch: JsonObject,
  type: TypeNode | undefined,
): JsonObject {
  if (directiveMarker in patch) return mapDirective(patch[directiveMarker], patch);
  const out = original ?? {};
  applyRetainKeys(out, patch);
  mergeOrderedLists(out, patch, type);
  for (const [rawKey, patchValue] of Object.entries(patch)) {
    let key = rawKey;
    let isDeleteList = false;
    if (rawKey.startsWith(deleteFromPrimitiveListPrefix)) {
      key = directiveTarget(rawKey, deleteFromPrimitiveListPrefix);
      isDeleteList = true;
    }
    if (patchValue === null) {
      delete out[key];
      continue;
    }
    if (!Object.hasOwn(out, key)) {
      if (!isDeleteList) setNew(out, key, patchValue);
      continue;
    }
    const current = out[key];
    const kind = kindOf(current);
    if (kind !== kindOf(patchValue)) {
      if (!isDeleteList) setNew(out, key, patchValue);
      continue;
    }
    if (kind === 'object') {
      const t = fieldType(type, key);
      out[key] =
        t?.kind === 'struct' && t.replace
          ? patchValue
          : mergeMap(current as JsonObject, patchValue as JsonObject, t);
    } else if (kind === 'array') {
      const { list, item } = listMeta(type, key);
      out[key] = mergeSliceHandler(
        current as unknown[],
        patchValue as unknown[],
        list,
        item,
        isDeleteList,
        key,
      );
    } else {
      setNew(out, key, patchValue);
    }
  }
  return out;
}

function mergeSliceHandler(
  original: unknown[],
  patch: unknown[],
  list: ListType | undefined,
  item: TypeNode | undefined,
  isDeleteList: boolean,
  name: string,
): unknown[] {
  if (list?.patch === 'merge' || isDeleteList)
    return mergeSlice(original, patch, item, list?.mergeKey, isDeleteList, name);
  return patch;
}

/** The element kind shared by every item of the given lists (lists of lists are refused). */
function elementKind(...lists: unknown[][]): ValueKind | undefined {
  let kind: ValueKind | undefined;
  let goType: string | undefined;
  for (const l of lists)
    for (const v of l) {
      const k = kindOf(v);
      const t = k === 'scalar' ? typeof v : k;
      if (kind === undefined) {
        if (k === 'array') throw unprocessablePatch('lists of lists are not supported');
        kind = k;
        goType = t;
      } else if (t !== goType) {
        throw badPatch(`list element types are not identical: ${goValue(lists)}`);
      }
    }
  return kind;
}

function keyOf(v: unknown, mergeKey: string | undefined): unknown {
  return mergeKey && isObject(v) ? v[mergeKey] : v;
}

function indexIn(list: unknown[], v: unknown, mergeKey: string | undefined): number {
  const key = keyOf(v, mergeKey);
  return list.findIndex((x) => keyOf(x, mergeKey) === key);
}

function requireMergeKey(lists: unknown[][], mergeKey: string): void {
  for (const l of lists)
    for (const v of l) if (!isObject(v) || !(mergeKey in v)) throw noMergeKey(v, mergeKey);
}

function findByKey(list: unknown[], mergeKey: string, value: unknown): number {
  return list.findIndex((v) => isObject(v) && mergeKey in v && v[mergeKey] === value);
}

/**
 * A Go slice over a shared array. Upstream merges a list in place: deleting an item shifts the
 * rest left inside the original array and appending reuses its free tail, so the caller's view
 * of the original list (its length unchanged) sees those writes. The ordering of a
 * `$setElementOrder` list is computed against that view, and matching it needs the same
 * aliasing.
 */
class GoSlice {
  private shared = true;
  constructor(
    private arr: unknown[],
    public len: number = arr.length,
  ) {}

  items(): unknown[] {
    return this.arr.slice(0, this.len);
  }

  removeAt(i: number): void {
    for (let j = i; j < this.len - 1; j++) this.arr[j] = this.arr[j + 1];
    this.len--;
  }

  set(i: number, v: unknown): void {
    this.arr[i] = v;
  }

  append(v: unknown): void {
    if (this.shared && this.len >= this.arr.length) {
      // Out of capacity: Go copies to a new array, which the caller no longer sees.
      this.arr = this.arr.slice(0, this.len);
      this.shared = false;
    }
    this.arr[this.len++] = v;
  }
}

function mergeSlice(
  original: unknown[],
  patch: unknown[],
  item: TypeNode | undefined,
  mergeKey: string | undefined,
  isDeleteList: boolean,
  name: string,
): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = elementKind(original, patch);
  let merged: unknown[];
  let serverOrder = original;
  if (kind !== 'object') {
    if (isDeleteList) {
      const drop = new Set(patch);
      return original.filter((v) => !drop.has(v));
    }
    merged = [];
    for (const v of [...original, ...patch]) if (!merged.includes(v)) merged.push(v);
  } else {
    if (!mergeKey) throw badPatch(`cannot merge lists without merge key for ${name}`);
    const special = applySpecialElements(original, patch, mergeKey);
    const remaining = special.original;
    const afterDeletes = remaining.len;
    patch = special.patch;
    mergeByKey(remaining, patch, mergeKey, item);
    merged = remaining.items();
    serverOrder = merged.slice(0, afterDeletes);
  }
  const key = kind === 'object' ? mergeKey : undefined;
  const { inPatch, serverOnly } = partition(merged, patch, key);
  return normalizeOrder(inPatch, serverOnly, patch, serverOrder, key);
}

/**
 * List items carrying `$patch`: `delete` removes the matching original items, `replace` makes
 * the list exactly the patch's other items. Returns what remains to merge.
 */
function applySpecialElements(
  original: unknown[],
  patch: unknown[],
  mergeKey: string,
): { original: GoSlice; patch: unknown[] } {
  const plain: unknown[] = [];
  let replace = false;
  const remaining = new GoSlice(original);
  for (const v of patch) {
    const item = v as JsonObject;
    if (!(directiveMarker in item)) {
      plain.push(v);
      continue;
    }
    const directive = item[directiveMarker];
    if (directive === 'delete') {
      if (!(mergeKey in item)) throw noMergeKey(item, mergeKey);
      for (;;) {
        const at = findByKey(remaining.items(), mergeKey, item[mergeKey]);
        if (at < 0) break;
        remaining.removeAt(at);
      }
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      throw badPatch('merging lists cannot yet be specified in the patch');
    } else {
      throw unknownPatchType(directive, item);
    }
  }
  return replace
    ? { original: new GoSlice(plain), patch: [] }
    : { original: remaining, patch: plain };
}

function mergeByKey(
  original: GoSlice,
  patch: unknown[],
  mergeKey: string,
  item: TypeNode | undefined,
): void {
  for (const v of patch) {
    const p = v as JsonObject;
    if (!(mergeKey in p)) throw noMergeKey(p, mergeKey);
    const current = original.items();
    const at = findByKey(current, mergeKey, p[mergeKey]);
    if (at >= 0) {
      original.set(at, mergeMap(current[at] as JsonObject, p, item));
    } else {
      discardNulls(p);
      original.append(removeDirectives(p).value);
    }
  }
}

function partition(
  merged: unknown[],
  by: unknown[],
  mergeKey: string | undefined,
): { inPatch: unknown[]; serverOnly: unknown[] } {
  if (mergeKey) requireMergeKey([merged], mergeKey);
  const inPatch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const v of merged) (indexIn(by, v, mergeKey) >= 0 ? inPatch : serverOnly).push(v);
  return { inPatch, serverOnly };
}

function sortBy(list: unknown[], order: unknown[], mergeKey: string | undefined): unknown[] {
  if (mergeKey) requireMergeKey([list, order], mergeKey);
  return list
    .map((v, i) => ({ v, i, at: indexIn(order, v, mergeKey) }))
    .sort((a, b) => (a.at >= 0 && b.at >= 0 ? a.at - b.at : 0) || a.i - b.i)
    .map((e) => e.v);
}

/**
 * The final order of a merged list: patch items in `patchOrder`, server-only items in
 * `serverOrder`, then interleaved — a server-only item goes before a patch item only when the
 * server had it in front of that item; patch items the server never had come first.
 */
function normalizeOrder(
  inPatch: unknown[],
  serverOnly: unknown[],
  patchOrder: unknown[],
  serverOrder: unknown[],
  mergeKey: string | undefined,
): unknown[] {
  const right = sortBy(inPatch, patchOrder, mergeKey);
  const left = sortBy(serverOnly, serverOrder, mergeKey);
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(serverOrder, left[i], mergeKey);
      const ri = indexIn(serverOrder, right[j], mergeKey);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

/** The patch list's items must appear in `$setElementOrder` in the same relative order. */
function checkOrderMatchesPatch(
  patchList: unknown[],
  order: unknown[],
  mergeKey: string | undefined,
): void {
  if (order.length === 0 || patchList.length === 0) return;
  const items = mergeKey
    ? patchList.filter((v) => !(isObject(v) && v[directiveMarker] === 'delete'))
    : patchList;
  let p = 0;
  let o = 0;
  while (p < items.length && o < order.length) {
    const item = items[p];
    if (isObject(item) && directiveMarker in item) {
      p++;
      continue;
    }
    if (mergeKey) {
      if (!isObject(item) || !(mergeKey in item)) throw noMergeKey(item, mergeKey);
      const ord = order[o];
      if (!isObject(ord) || !(mergeKey in ord)) throw noMergeKey(ord, mergeKey);
      if (item[mergeKey] === ord[mergeKey]) p++;
    } else if (item === order[o]) p++;
    o++;
  }
  if (p < items.length)
    throw badPatch(
      `The order in patch list:\n${goValue(patchList)}\n doesn't match ${setElementOrderPrefix} list:\n${goValue(order)}\n`,
    );
}

/**
 * `$setElementOrder/<field>`: merges the list it names (if the patch has one) and puts the result
 * in the given order, server-only items interleaved by their live position.
 */
function mergeOrderedLists(
  original: JsonObject,
  patch: JsonObject,
  type: TypeNode | undefined,
): void {
  for (const directiveKey of Object.keys(patch)) {
    if (!directiveKey.startsWith(setElementOrderPrefix)) continue;
    const order = patch[directiveKey];
    delete patch[directiveKey];
    if (!Array.isArray(order))
      throw badPatch(`expected a []interface {}, but received a ${goTypeName(order)}`);
    const key = directiveTarget(directiveKey, setElementOrderPrefix);
    const hasOriginal = Object.hasOwn(original, key);
    const hasPatch = Object.hasOwn(patch, key);
    const originalList = hasOriginal ? original[key] : undefined;
    const patchList = hasPatch ? patch[key] : undefined;
    if (hasOriginal && !Array.isArray(originalList))
      throw badPatch(`expected a []interface {}, but received a ${goTypeName(originalList)}`);
    if (hasPatch && !Array.isArray(patchList))
      throw badPatch(`expected a []interface {}, but received a ${goTypeName(patchList)}`);
    const { list, item } = listMeta(type, key);
    const mergeKey = list?.mergeKey;
    checkOrderMatchesPatch((patchList as unknown[] | undefined) ?? [], order, mergeKey);
    let merged: unknown[];
    if (hasOriginal && !hasPatch) merged = originalList as unknown[];
    else if (!hasOriginal && hasPatch) merged = removeDirectives(patchList).value as unknown[];
    else if (hasOriginal && hasPatch)
      merged = mergeSliceHandler(
        originalList as unknown[],
        patchList as unknown[],
        list,
        item,
        false,
        key,
      );
    else continue;
    const serverOrder = (originalList as unknown[] | undefined) ?? [];
    const kind = elementKind(serverOrder, (patchList as unknown[] | undefined) ?? []);
    const k = kind === 'object' ? mergeKey : undefined;
    const { inPatch, serverOnly } = partition(merged, order, k);
    original[key] = normalizeOrder(inPatch, serverOnly, order, serverOrder, k);
    delete patch[key];
  }
}

function goTypeName(v: unknown): string {
  switch (kindOf(v)) {
    case 'object':
      return 'map[string]interface {}';
    case 'array':
      return '[]interface {}';
    case 'null':
      return '%!s(<nil>)';
    default:
      return typeof v === 'number' ? 'float64' : typeof v === 'boolean' ? 'bool' : 'string';
  }
}
