/**
 * How the fields of an object merge. One description serves both merge worlds of Kubernetes:
 *
 *   - strategic merge patch reads the Go struct tags `patchStrategy` / `patchMergeKey`
 *     (lists merged by a key, primitive lists merged as sets, or replaced whole);
 *   - server-side apply and managedFields read the OpenAPI list/map/struct types
 *     (`x-kubernetes-list-type` atomic|set|map with `x-kubernetes-list-map-keys`,
 *     `x-kubernetes-map-type`, `x-kubernetes-structure-type`).
 *
 * Only what differs from the defaults is described. An undescribed ("deduced") value merges as
 * upstream merges a field it has no schema for: objects field by field, lists replaced whole,
 * scalars replaced. Objects whose keys are data rather than field names (labels, data,
 * resource lists) must be declared as `map`, because managedFields records a map entry as a
 * member of the set and a struct field only through its leaves.
 */

export type TypeNode = StructType | MapType | ListType | ScalarType;

export interface StructType {
  kind: 'struct';
  /** Fields with a declared type; any other key is a struct field of deduced type. */
  fields: Record<string, TypeNode>;
  /** structType=atomic: apply replaces it whole, and it is owned as one field. */
  atomic?: boolean;
  /** patchStrategy "replace": a strategic merge patch replaces it instead of merging. */
  replace?: boolean;
}

export interface MapType {
  kind: 'map';
  values: TypeNode;
  /** mapType=atomic (pod nodeSelector, service selector): apply replaces it whole. */
  atomic?: boolean;
}

export interface ListType {
  kind: 'list';
  items: TypeNode;
  /** Strategic merge patch: `merge` (by mergeKey, or as a set for scalars) or `replace`. */
  patch: 'merge' | 'replace';
  mergeKey?: string;
  /** Server-side apply: the list type. */
  listType: 'atomic' | 'set' | 'map';
  /** listType=map: the key fields, in declaration order. */
  keys?: string[];
  /** Defaults of key fields an item may omit (ContainerPort.protocol = TCP). */
  keyDefaults?: Record<string, string | number | boolean>;
}

export interface ScalarType {
  kind: 'scalar';
}

export const scalar: ScalarType = { kind: 'scalar' };

export function struct(
  fields: Record<string, TypeNode> = {},
  opts: { atomic?: boolean; replace?: boolean } = {},
): StructType {
  return { kind: 'struct', fields, ...opts };
}

/** A struct that apply replaces whole and managedFields owns as one leaf. */
export function atomicStruct(fields: Record<string, TypeNode> = {}): StructType {
  return struct(fields, { atomic: true });
}

export function map(values: TypeNode = scalar, opts: { atomic?: boolean } = {}): MapType {
  return { kind: 'map', values, ...opts };
}

/** A list replaced whole by both strategic merge patch and apply (the default for lists). */
export function atomicList(items: TypeNode = scalar): ListType {
  return { kind: 'list', items, patch: 'replace', listType: 'atomic' };
}

/**
 * An associative list: `patchStrategy:"merge" patchMergeKey:"<mergeKey>"` and
 * `listType=map listMapKey=<keys>`. The strategic merge key defaults to the first map key.
 */
export function mapList(
  keys: string[],
  items: TypeNode = struct(),
  opts: {
    mergeKey?: string;
    patch?: 'merge' | 'replace';
    keyDefaults?: Record<string, string | number | boolean>;
  } = {},
): ListType {
  const list: ListType = {
    kind: 'list',
    items,
    patch: opts.patch ?? 'merge',
    listType: 'map',
    keys,
  };
  if (list.patch === 'merge') list.mergeKey = opts.mergeKey ?? keys[0];
  if (opts.keyDefaults) list.keyDefaults = opts.keyDefaults;
  return list;
}

/** A list of scalars that apply treats as a set; `merge` when the Go field says patchStrategy merge. */
export function setList(opts: { merge: boolean }): ListType {
  return { kind: 'list', items: scalar, patch: opts.merge ? 'merge' : 'replace', listType: 'set' };
}

/** The type of `key` inside `node`; undefined means deduced. */
export function fieldType(node: TypeNode | undefined, key: string): TypeNode | undefined {
  if (!node) return undefined;
  // Own keys only: a patch key such as `constructor` names no declared field.
  if (node.kind === 'struct') return Object.hasOwn(node.fields, key) ? node.fields[key] : undefined;
  if (node.kind === 'map') return node.values;
  return undefined;
}

/** The item type of a list node; undefined means deduced. */
export function itemType(node: TypeNode | undefined): TypeNode | undefined {
  return node?.kind === 'list' ? node.items : undefined;
}

/** JSON values as patches and objects carry them. */
export type JsonObject = Record<string, unknown>;

export function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
