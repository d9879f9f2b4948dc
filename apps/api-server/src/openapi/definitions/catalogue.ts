/**
 * The shape of the Go type catalogue and the small notation its files are written in.
 *
 * The catalogue is written by hand, in our own words: one entry per Kubernetes type the zod
 * schemas reach, named as Kubernetes' OpenAPI names it (`io.k8s.api.core.v1.PodSpec`), with a
 * sentence or two for the type and for each of its fields. It holds only what the zod schemas
 * cannot say: which Go type a nested object is (that names the definition), the width of an
 * integer when it is int64, Time and byte fields, the `+enum` values of a string type, upstream's
 * required fields and `+default` values. Everything else is derived:
 *
 *   - a field's JSON type, and int32 for integers, from its zod schema; Quantity and IntOrString
 *     from the zod schemas of libs/api (schemas.ts);
 *   - list types, list-map keys, map and struct types and patch strategies from the merge types
 *     in libs/api/src/patch (mergeMarkers.ts), so the two never disagree;
 *   - the `<Kind>List` of every kind (goTypes.ts).
 *
 * When a zod schema gains a field, add it to its type's entry, in the file of the type's
 * group-version, with a description (and its `type` when it is an object, an int64, a Time or
 * bytes); the document tests name any field or object the catalogue does not describe, and any
 * entry nothing uses. A new nested object needs a new entry under its Go type's name; a new kind
 * needs an entry for itself, and gets its List for free.
 *
 *   export const coreV1 = definitions('core', {
 *     Toleration: {
 *       description: 'Lets a pod be scheduled onto, or stay on, nodes with a matching taint.',
 *       fields: {
 *         key: 'The taint key this toleration matches; empty matches every key.',
 *         tolerationSeconds: { type: 'int64', description: 'How long a NoExecute taint is tolerated.' },
 *       },
 *     },
 *   });
 */

export interface GoField {
  /** What the field is, for `kubectl explain`: our words, one or two sentences. */
  description: string;
  /**
   * The field's Go type as OpenAPI sees it: `string`, `boolean`, `int32`, `int64`, `double`,
   * `byte` (a `[]byte`, base64 in JSON), `[]T`, `map[string]T`, or a definition name. Absent,
   * it is read from the zod schema (see SchemaBuilder).
   */
  type?: string;
  /** Values of a `+enum` string type. */
  enum?: readonly string[];
  /** A `+default=` marker, or Go's zero value of a non-pointer struct field (`{}`). */
  default?: unknown;
  /** `patchStrategy:"retainKeys"` (volume sources, deployment strategy): not in the merge types. */
  retainKeys?: boolean;
  /** The rest come from the merge types of libs/api/src/patch (mergeMarkers.ts). */
  listType?: 'atomic' | 'set' | 'map';
  listMapKeys?: string[];
  /** `+mapType` on a map field. */
  mapType?: 'atomic' | 'granular';
  patchStrategy?: string;
  patchMergeKey?: string;
}

export interface GoTypeDefinition {
  /** What the type is: a sentence. */
  description: string;
  /** A struct's fields by JSON name, in Go order (inlined structs flattened). */
  fields?: Record<string, GoField>;
  /** Fields upstream's OpenAPI lists as required that zod leaves optional. */
  required?: string[];
  /** `+structType=atomic` on the type (from the merge types). */
  mapType?: 'atomic' | 'granular';
  /** Types with their own OpenAPI form (Time, Quantity, IntOrString...): that form. */
  schema?: Record<string, unknown>;
}

export type GoTypeDefinitions = Record<string, GoTypeDefinition>;

/** The OpenAPI name prefixes of the Go packages the catalogue refers to. */
export const packages = {
  meta: 'io.k8s.apimachinery.pkg.apis.meta.v1',
  resource: 'io.k8s.apimachinery.pkg.api.resource',
  intstr: 'io.k8s.apimachinery.pkg.util.intstr',
  runtime: 'io.k8s.apimachinery.pkg.runtime',
  core: 'io.k8s.api.core.v1',
  apps: 'io.k8s.api.apps.v1',
  discovery: 'io.k8s.api.discovery.v1',
  coordination: 'io.k8s.api.coordination.v1',
  autoscaling: 'io.k8s.api.autoscaling.v1',
  policy: 'io.k8s.api.policy.v1',
  scheduling: 'io.k8s.api.scheduling.v1',
  batch: 'io.k8s.api.batch.v1',
} as const;

export type Package = keyof typeof packages;

/** A field as the catalogue files write it: its description alone when zod says the rest. */
export type FieldEntry = string | GoField;

export interface TypeEntry extends Omit<GoTypeDefinition, 'fields'> {
  fields?: Record<string, FieldEntry>;
}

/**
 * A type name as the files write it, made whole: `PodSpec` is in the file's own package,
 * `meta.Time` in the package of that alias; `[]` and `map[string]` wrap either.
 */
function resolve(type: string, own: Package): string {
  const collection = /^(\[\]|map\[string\])(.*)$/.exec(type);
  if (collection) return `${collection[1]}${resolve(collection[2] as string, own)}`;
  if (primitiveType(type)) return type;
  const dot = type.indexOf('.');
  if (dot < 0) return `${packages[own]}.${type}`;
  const alias = type.slice(0, dot);
  if (alias in packages) return `${packages[alias as Package]}.${type.slice(dot + 1)}`;
  throw new Error(`catalogue: ${type} names no known package`);
}

/** The entries of one Go package, under their full OpenAPI names. */
export function definitions(pkg: Package, entries: Record<string, TypeEntry>): GoTypeDefinitions {
  const out: GoTypeDefinitions = {};
  for (const [name, entry] of Object.entries(entries)) {
    const { fields, ...rest } = entry;
    const def: GoTypeDefinition = { ...rest };
    if (fields)
      def.fields = Object.fromEntries(
        Object.entries(fields).map(([f, e]) => {
          const field: GoField = typeof e === 'string' ? { description: e } : { ...e };
          if (field.type) field.type = resolve(field.type, pkg);
          return [f, field];
        }),
      );
    out[`${packages[pkg]}.${name}`] = def;
  }
  return out;
}

/** `[]T` → T, `map[string]T` → T; anything else has no element. */
export function elementType(type: string): { collection: 'array' | 'map'; of: string } | undefined {
  if (type.startsWith('[]')) return { collection: 'array', of: type.slice(2) };
  if (type.startsWith('map[string]'))
    return { collection: 'map', of: type.slice('map[string]'.length) };
  return undefined;
}

const primitives: Record<string, { type: string; format?: string }> = {
  string: { type: 'string' },
  boolean: { type: 'boolean' },
  int32: { type: 'integer', format: 'int32' },
  int64: { type: 'integer', format: 'int64' },
  double: { type: 'number', format: 'double' },
  float: { type: 'number', format: 'float' },
  byte: { type: 'string', format: 'byte' },
};

/** The OpenAPI type and format of a primitive Go type; undefined for definitions and collections. */
export function primitiveType(type: string): { type: string; format?: string } | undefined {
  return primitives[type];
}
