/**
 * The value side of server-side apply (structured-merge-diff's typed Merge and RemoveItems):
 * an applied configuration is merged INTO the live object — struct fields and map entries
 * recursively, associative lists item by item on their keys, sets by value, atomic lists,
 * atomic maps/structs and scalars replaced — and fields a manager stopped applying are removed.
 */
import type { FieldSet } from './fieldSet';
import { isAssociative, itemElement } from './fieldSet';
import type { ListType, TypeNode } from './types';
import { fieldType, isObject, itemType, type JsonObject } from './types';

function atomicContainer(t: TypeNode | undefined): boolean {
  if (!t) return false;
  if (t.kind === 'list') return t.listType === 'atomic';
  if (t.kind === 'struct' || t.kind === 'map') return t.atomic === true;
  return false;
}

/** Merges `rhs` (the configuration) into `lhs` (the live value); neither is modified. */
export function mergeValues(lhs: unknown, rhs: unknown, type: TypeNode | undefined): unknown {
  if (rhs === undefined) return structuredClone(lhs);
  if (lhs === undefined || lhs === null) return structuredClone(rhs);
  if (isObject(lhs) && isObject(rhs) && !atomicContainer(type)) {
    const out: JsonObject = {};
    for (const k of Object.keys(lhs)) out[k] = mergeValues(lhs[k], rhs[k], fieldType(type, k));
    for (const k of Object.keys(rhs)) if (!(k in lhs)) out[k] = structuredClone(rhs[k]);
    return out;
  }
  if (Array.isArray(lhs) && Array.isArray(rhs) && isAssociative(type))
    return mergeListItems(lhs, rhs, type);
  return structuredClone(rhs);
}

/**
 * Items in both lists are merged and follow the configuration's order; items only the live
 * list has stay where they were relative to them; new items come where the configuration puts
 * them.
 */
function mergeListItems(lhs: unknown[], rhs: unknown[], type: ListType): unknown[] {
  const lPE = lhs.map((v, i) => itemElement(type, v, i, false));
  const rPE = rhs.map((v, i) => itemElement(type, v, i, true));
  const lItems = new Map<string, unknown>();
  lPE.forEach((pe, i) => {
    if (!lItems.has(pe)) lItems.set(pe, lhs[i]);
  });
  const rItems = new Map<string, unknown>();
  rPE.forEach((pe, i) => {
    if (!rItems.has(pe)) rItems.set(pe, rhs[i]);
  });
  const shared = rPE.filter((pe) => lItems.has(pe));
  let nextShared = 0;
  const advanceShared = (pe: string) => {
    if (shared[nextShared] === pe) nextShared++;
  };
  const done = new Set<string>();
  const out: unknown[] = [];
  const items = itemType(type);
  let l = 0;
  let r = 0;
  while (l < lPE.length || r < rPE.length) {
    if (l < lPE.length && r < rPE.length) {
      const pe = lPE[l] as string;
      if (pe === rPE[r]) {
        if (!done.has(pe)) out.push(mergeValues(lItems.get(pe), rItems.get(pe), items));
        done.add(pe);
        l++;
        r++;
        advanceShared(pe);
        continue;
      }
      // A shared item the configuration wants later: skip it here, it comes with its rhs turn.
      if (rItems.has(pe) && nextShared < shared.length && shared[nextShared] !== pe) {
        l++;
        continue;
      }
    }
    if (l < lPE.length) {
      const pe = lPE[l] as string;
      if (!rItems.has(pe)) {
        out.push(structuredClone(lhs[l]));
        l++;
        continue;
      }
      if (done.has(pe)) {
        l++;
        continue;
      }
    }
    if (r < rPE.length) {
      const pe = rPE[r] as string;
      if (!done.has(pe)) out.push(mergeValues(lItems.get(pe), rItems.get(pe), items));
      done.add(pe);
      r++;
      advanceShared(pe);
    }
  }
  return out;
}

/** Removes every member of `set` from a copy of `value` (with what lies below it). */
export function removeItems(value: unknown, set: FieldSet, type: TypeNode | undefined): unknown {
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) {
      const pe = `f:${k}`;
      if (set.members.has(pe)) continue;
      const child = set.children.get(pe);
      out[k] = child ? removeItems(v, child, fieldType(type, k)) : structuredClone(v);
    }
    return out;
  }
  if (Array.isArray(value) && isAssociative(type)) {
    const out: unknown[] = [];
    value.forEach((item, i) => {
      const pe = itemElement(type, item, i, false);
      if (set.members.has(pe)) return;
      const child = set.children.get(pe);
      out.push(child ? removeItems(item, child, itemType(type)) : structuredClone(item));
    });
    return out;
  }
  return structuredClone(value);
}
