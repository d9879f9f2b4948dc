/**
 * The merge markers of the OpenAPI documents, read from the merge types the api-server patches
 * with (libs/api patch/kindTypes.ts) instead of being written a second time in the catalogue.
 *
 * kube-openapi turns Go's `+listType`, `+listMapKey`, `+mapType`, `+structType` markers and
 * `patchStrategy` / `patchMergeKey` tags into `x-kubernetes-*` extensions. The merge types hold
 * the same facts per kind, as a tree of fields; this walks each kind's tree beside the catalogue,
 * whose field types say which Go type each node of the tree is, and puts the markers on those
 * types. A Go type reached from several kinds must get the same markers from each.
 *
 *   - list: `x-kubernetes-list-type` (and `-list-map-keys` for a map list); a strategic merge
 *     by key or as a set gives `x-kubernetes-patch-strategy: merge` (and the merge key);
 *     `keyDefaults` are the `+default` of the key fields (ContainerPort.protocol = TCP);
 *   - map: `mapType=atomic` gives `x-kubernetes-map-type: atomic` on the field;
 *   - struct: `structType=atomic` gives `x-kubernetes-map-type: atomic` on the type, as
 *     kube-openapi writes it, and a replacing struct `x-kubernetes-patch-strategy: replace`.
 *
 * The catalogue only adds `retainKeys`, which the merge types do not model.
 *
 *   const { types, problems } = withMergeMarkers({ ...goTypes, ...lists }, scheme.all());
 */
import type { KindInfo, StructType, TypeNode } from '@kubeling/api';
import { typeOfKind } from '@kubeling/api';
import type { GoField, GoTypeDefinition, GoTypeDefinitions } from './definitions/catalogue';
import { elementType, primitiveType } from './definitions/catalogue';
import { definitionName } from './names';

export function withMergeMarkers(
  catalogue: GoTypeDefinitions,
  kinds: readonly KindInfo[],
  typeOf: (group: string, kind: string) => StructType = typeOfKind,
): { types: GoTypeDefinitions; problems: string[] } {
  const types = structuredClone(catalogue);
  const problems: string[] = [];

  function set<T extends object, K extends keyof T>(on: T, key: K, value: T[K], where: string) {
    const before = on[key];
    if (before !== undefined && JSON.stringify(before) !== JSON.stringify(value))
      problems.push(
        `${where}: ${String(key)} ${JSON.stringify(before)} here, ${JSON.stringify(value)} elsewhere`,
      );
    else on[key] = value;
  }

  function struct(typeName: string, node: StructType, where: string): void {
    const def: GoTypeDefinition | undefined = types[typeName];
    if (!def) {
      problems.push(`${where}: ${typeName} is not in the catalogue`);
      return;
    }
    if (node.atomic) set(def, 'mapType', 'atomic', typeName);
    for (const [name, child] of Object.entries(node.fields)) {
      // A field the catalogue lacks is one the zod schema does not serve: nothing to mark.
      const field = def.fields?.[name];
      if (field) member(field, child, `${typeName}.${name}`);
    }
  }

  function member(field: GoField, node: TypeNode, where: string): void {
    const type = field.type;
    const element = type ? elementType(type) : undefined;
    /** The Go type of an object node: a definition, not a primitive nor a collection. */
    const named = (t: string | undefined) =>
      t && !elementType(t) && !primitiveType(t) ? t : undefined;
    switch (node.kind) {
      case 'list': {
        set(field, 'listType', node.listType, where);
        if (node.listType === 'map' && node.keys) set(field, 'listMapKeys', node.keys, where);
        if (node.patch === 'merge') set(field, 'patchStrategy', 'merge', where);
        if (node.mergeKey) set(field, 'patchMergeKey', node.mergeKey, where);
        if (node.items.kind !== 'struct') return;
        const item = element?.collection === 'array' ? named(element.of) : undefined;
        if (!item) {
          problems.push(`${where}: a list of objects, but the catalogue says ${type ?? 'nothing'}`);
          return;
        }
        struct(item, node.items, `${where}[]`);
        for (const [key, value] of Object.entries(node.keyDefaults ?? {})) {
          const keyField = types[item]?.fields?.[key];
          if (keyField) set(keyField, 'default', value, `${item}.${key}`);
        }
        return;
      }
      case 'map': {
        if (node.atomic) set(field, 'mapType', 'atomic', where);
        if (node.values.kind !== 'struct') return;
        const value = element?.collection === 'map' ? named(element.of) : undefined;
        if (value) struct(value, node.values, `${where}{}`);
        else
          problems.push(`${where}: a map of objects, but the catalogue says ${type ?? 'nothing'}`);
        return;
      }
      case 'struct': {
        if (node.replace) set(field, 'patchStrategy', 'replace', where);
        const object = named(type);
        if (object) struct(object, node, where);
        else problems.push(`${where}: an object, but the catalogue says ${type ?? 'nothing'}`);
        return;
      }
      case 'scalar':
        return;
    }
  }

  for (const k of kinds) struct(definitionName(k), typeOf(k.group, k.kind), k.kind);
  return { types, problems: [...new Set(problems)] };
}
