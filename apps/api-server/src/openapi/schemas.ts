/**
 * OpenAPI v3 `components.schemas` from the zod schemas, shaped as kube-openapi shapes them.
 *
 * The zod schema says which fields exist, their JSON types, enums and which are required: it
 * is what the server accepts (fields upstream's OpenAPI requires are marked required as well).
 * A field's type comes from zod too: strings, booleans, int32 for integers, double for other
 * numbers, and Quantity and IntOrString, recognised as the zod schemas of libs/api.
 * What zod cannot say comes from the Go type catalogue (goTypes.ts), walked beside the zod
 * schema: a nested object is named after the Go type of the field that holds it
 * (`PodSpec.containers` → `io.k8s.api.core.v1.Container`), so inline zod objects get their
 * upstream names too, and a Go type reached through several zod schemas is one definition.
 * int64, Time and `byte` formats, descriptions, enums, defaults and the `x-kubernetes-*`
 * extensions come from the same place.
 *
 *   const b = new SchemaBuilder(goTypesFor(scheme.all()).types);
 *   b.define('io.k8s.api.core.v1.Pod', podKind.schema, podKind); // and all it references
 *   b.schemas['io.k8s.api.core.v1.PodSpec'];
 *   b.problems; // fields or objects the catalogue cannot name
 */
import type { z } from 'zod';
import { IntOrString, Quantity } from '@kubeling/api';
import type { GoField, GoTypeDefinition, GoTypeDefinitions } from './goTypes';
import { elementType, primitiveType } from './goTypes';
import { packages } from './definitions/catalogue';

export type Schema = Record<string, unknown>;

const refPrefix = '#/components/schemas/';

export function ref(name: string): Schema {
  return { $ref: `${refPrefix}${name}` };
}

export function refName(schema: Schema): string | undefined {
  const r = schema['$ref'];
  return typeof r === 'string' && r.startsWith(refPrefix) ? r.slice(refPrefix.length) : undefined;
}

interface ZodDef {
  typeName: string;
  innerType?: z.ZodTypeAny;
  schema?: z.ZodTypeAny;
  getter?: () => z.ZodTypeAny;
  values?: readonly unknown[] | Record<string, unknown>;
  value?: unknown;
  options?: readonly z.ZodTypeAny[];
  checks?: ReadonlyArray<{ kind: string }>;
  type?: z.ZodTypeAny;
  valueType?: z.ZodTypeAny;
}

function defOf(s: z.ZodTypeAny): ZodDef {
  return s._def as ZodDef;
}

/** Strips optional/default/nullable/lazy/refinements: the shape underneath. */
function unwrap(s: z.ZodTypeAny): z.ZodTypeAny {
  for (;;) {
    const d = defOf(s);
    if (d.innerType) s = d.innerType;
    else if (d.typeName === 'ZodEffects' && d.schema) s = d.schema;
    else if (d.typeName === 'ZodLazy' && d.getter) s = d.getter();
    else return s;
  }
}

/** Whether a field may be left out: zod's own isOptional() parses, and defaults would fail that. */
function isOptional(s: z.ZodTypeAny): boolean {
  const d = defOf(s);
  switch (d.typeName) {
    case 'ZodOptional':
    case 'ZodDefault':
      return true;
    case 'ZodNullable':
      return isOptional(d.innerType as z.ZodTypeAny);
    case 'ZodEffects':
      return isOptional(d.schema as z.ZodTypeAny);
    case 'ZodLazy':
      return isOptional((d.getter as () => z.ZodTypeAny)());
    default:
      return false;
  }
}

/** Strips optional/default/nullable only: what a field holds, as the schema it reuses. */
function unwrapOptional(s: z.ZodTypeAny): z.ZodTypeAny {
  for (;;) {
    const d = defOf(s);
    if (d.innerType && d.typeName !== 'ZodEffects') s = d.innerType;
    else return s;
  }
}

/** Go types recognised by their zod schema: a field reusing `Quantity` holds a Quantity. */
const typesOfSchemas = new Map<z.ZodTypeAny, string>([
  [Quantity, `${packages.resource}.Quantity`],
  [IntOrString, `${packages.intstr}.IntOrString`],
]);

function isDefinitionType(type: string): boolean {
  return !primitiveType(type) && !elementType(type);
}

function isInteger(s: z.ZodTypeAny): boolean {
  return (defOf(s).checks ?? []).some((c) => c.kind === 'int');
}

/** The union of two object schemas: every property of either, required only when both require it. */
export function mergeObjects(a: Schema, b: Schema): Schema {
  const pa = (a['properties'] ?? {}) as Record<string, Schema>;
  const pb = (b['properties'] ?? {}) as Record<string, Schema>;
  const properties: Record<string, Schema> = {};
  for (const k of [...new Set([...Object.keys(pa), ...Object.keys(pb)])].sort())
    properties[k] = (pa[k] ?? pb[k]) as Schema;
  const rb = new Set((b['required'] ?? []) as string[]);
  const required = ((a['required'] ?? []) as string[]).filter((r) => rb.has(r));
  const { required: _drop, ...rest } = a;
  return required.length ? { ...rest, properties, required } : { ...rest, properties };
}

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export class SchemaBuilder {
  readonly schemas: Record<string, Schema> = {};
  /** Where the zod schemas and the catalogue disagree; empty for a well-described scheme. */
  readonly problems: string[] = [];
  /** Definitions built from more than one zod schema (see mergeObjects). */
  readonly merged = new Set<string>();
  /** Which zod object each definition was built from, to notice two shapes for one name. */
  private readonly sources = new Map<string, z.ZodTypeAny>();

  constructor(private readonly types: GoTypeDefinitions) {}

  /**
   * Defines `name` from a zod object, with `x-kubernetes-group-version-kind` when given, and
   * returns its name. Reaching the name again from the same zod object is free; from another
   * one, the two results must agree.
   */
  define(name: string, zod: z.ZodTypeAny, gvk?: GroupVersionKind): string {
    const obj = unwrap(zod);
    const seen = this.sources.get(name);
    if (seen === obj) return name;
    if (seen) {
      const before = this.schemas[name] as Schema;
      const again = this.objectSchema(name, obj, gvk);
      if (JSON.stringify(before) !== JSON.stringify(again)) {
        // Two zod schemas for one Go type (a container's resources, and the narrower ones its
        // status reports): the definition admits what either admits.
        this.schemas[name] = mergeObjects(before, again);
        this.merged.add(name);
      }
      return name;
    }
    this.sources.set(name, obj);
    // Registered before the fields are built, so a type that contains itself ends.
    this.schemas[name] = {};
    this.schemas[name] = this.objectSchema(name, obj, gvk);
    return name;
  }

  private objectSchema(name: string, obj: z.ZodTypeAny, gvk?: GroupVersionKind): Schema {
    const go = this.types[name];
    if (!go) this.problems.push(`${name}: no Go type describes it`);
    const schema: Schema = {};
    if (go?.description) schema['description'] = go.description;
    schema['type'] = 'object';
    if (defOf(obj).typeName !== 'ZodObject') {
      this.problems.push(`${name}: not a zod object`);
      return schema;
    }
    const shape = (obj as z.AnyZodObject).shape as Record<string, z.ZodTypeAny>;
    const properties: Record<string, Schema> = {};
    const required: string[] = [];
    for (const field of Object.keys(shape)) {
      const fz = shape[field] as z.ZodTypeAny;
      const gf = go?.fields?.[field];
      if (go && !gf) this.problems.push(`${name}.${field}: not in the Go type`);
      properties[field] = this.property(fz, gf, `${name}.${field}`);
      // Required: what the decoder rejects the object without, and what upstream's OpenAPI
      // lists (Go fields without omitempty). Zod leaves many of the latter optional so that
      // their absence is a 422 from validation, as in Kubernetes, rather than a decoding error.
      if (!isOptional(fz) || go?.required?.includes(field)) required.push(field);
    }
    for (const r of go?.required ?? [])
      if (!(r in shape)) this.problems.push(`${name}.${r}: required, but not in the zod schema`);
    if (Object.keys(properties).length)
      schema['properties'] = Object.fromEntries(
        Object.keys(properties)
          .sort()
          .map((k) => [k, properties[k]]),
      );
    if (required.length) schema['required'] = required;
    if (go?.mapType) schema['x-kubernetes-map-type'] = go.mapType;
    if (gvk)
      schema['x-kubernetes-group-version-kind'] = [
        { group: gvk.group, kind: gvk.kind, version: gvk.version },
      ];
    return schema;
  }

  /** A field: its type, then what kube-openapi puts beside it. */
  private property(zod: z.ZodTypeAny, go: GoField | undefined, where: string): Schema {
    const type = this.typeSchema(zod, go?.type, where);
    const extras: Schema = {};
    if (go?.description) extras['description'] = go.description;
    if (go?.default !== undefined) extras['default'] = go.default;
    if (go?.listType) extras['x-kubernetes-list-type'] = go.listType;
    if (go?.listMapKeys) extras['x-kubernetes-list-map-keys'] = go.listMapKeys;
    if (go?.mapType) extras['x-kubernetes-map-type'] = go.mapType;
    if (go?.patchMergeKey) extras['x-kubernetes-patch-merge-key'] = go.patchMergeKey;
    const strategy = [go?.patchStrategy, go?.retainKeys ? 'retainKeys' : undefined].filter(Boolean);
    if (strategy.length) extras['x-kubernetes-patch-strategy'] = strategy.join(',');
    if (refName(type)) {
      // A $ref cannot carry siblings in OpenAPI 3.0; kube-openapi wraps it in allOf.
      return Object.keys(extras).length ? { allOf: [type], ...extras } : type;
    }
    if (go?.enum && type['type'] === 'string' && !type['enum']) type['enum'] = [...go.enum].sort();
    const { description, ...rest } = extras;
    if (description === undefined) return { ...type, ...rest };
    // The field's words come first, and win over a type's own (a free-form object's).
    const { description: _typeWords, ...typeRest } = type;
    return { description, ...typeRest, ...rest };
  }

  /**
   * An array element or map value. Kubernetes' elements are values, not pointers, so
   * kube-openapi gives them Go's zero value as their default: `{}` for structs (Time and
   * Quantity included), `""`, `0`, `false`.
   */
  private element(zod: z.ZodTypeAny, goType: string | undefined, where: string): Schema {
    const type = this.typeSchema(zod, goType, where);
    if (refName(type)) return { allOf: [type], default: {} };
    if (type['enum'] || type['format'] === 'byte') return type;
    const zero: Record<string, unknown> = { string: '', integer: 0, boolean: false };
    const t = type['type'];
    return typeof t === 'string' && t in zero ? { ...type, default: zero[t] } : type;
  }

  private typeSchema(zod: z.ZodTypeAny, written: string | undefined, where: string): Schema {
    const goType = written ?? typesOfSchemas.get(unwrapOptional(zod));
    const s = unwrap(zod);
    const d = defOf(s);
    if (goType && isDefinitionType(goType)) {
      const def: GoTypeDefinition | undefined = this.types[goType];
      if (def?.schema) return this.defineSpecial(goType, def);
      if (def?.fields && d.typeName === 'ZodObject') return ref(this.define(goType, s));
      if (def && (d.typeName === 'ZodRecord' || d.typeName === 'ZodUnknown')) {
        // The server keeps this object as it comes (node config sources and the like).
        return {
          description: def.description,
          type: 'object',
          'x-kubernetes-preserve-unknown-fields': true,
        };
      }
      this.problems.push(`${where}: Go type ${goType} does not fit a ${d.typeName}`);
    }
    const elem = goType ? elementType(goType) : undefined;
    const primitive = goType ? primitiveType(goType) : undefined;
    /** A written Go type must say what zod says: a primitive of the same JSON type... */
    const expect = (type: string) => {
      if ((primitive && primitive.type !== type) || elem)
        this.problems.push(`${where}: Go type ${goType} does not fit a ${d.typeName}`);
    };
    /** ...or a collection of the same kind. */
    const expectCollection = (collection: 'array' | 'map') => {
      if (goType && elem?.collection !== collection)
        this.problems.push(`${where}: Go type ${goType} does not fit a ${d.typeName}`);
    };
    switch (d.typeName) {
      case 'ZodString':
        expect('string');
        return primitive?.type === 'string' && primitive.format
          ? { type: 'string', format: primitive.format }
          : { type: 'string' };
      case 'ZodNumber': {
        if (!isInteger(s)) {
          expect('number');
          return { type: 'number', format: 'double' };
        }
        expect('integer');
        return { type: 'integer', format: primitive?.format ?? 'int32' };
      }
      case 'ZodBoolean':
        expect('boolean');
        return { type: 'boolean' };
      case 'ZodEnum':
        return { type: 'string', enum: [...(d.values as readonly string[])].sort() };
      case 'ZodNativeEnum':
        return { type: 'string', enum: Object.values(d.values as Record<string, string>).sort() };
      case 'ZodLiteral':
        return { type: typeof d.value, enum: [d.value] };
      case 'ZodArray':
        expectCollection('array');
        return {
          type: 'array',
          items: this.element(
            d.type as z.ZodTypeAny,
            elem?.collection === 'array' ? elem.of : undefined,
            `${where}[]`,
          ),
        };
      case 'ZodRecord':
        expectCollection('map');
        return {
          type: 'object',
          additionalProperties: this.element(
            d.valueType as z.ZodTypeAny,
            elem?.collection === 'map' ? elem.of : undefined,
            `${where}{}`,
          ),
        };
      case 'ZodObject': {
        // An object the catalogue cannot name stays inline, without descriptions.
        this.problems.push(`${where}: object without a Go type name`);
        const shape = (s as z.AnyZodObject).shape as Record<string, z.ZodTypeAny>;
        const properties: Record<string, Schema> = {};
        for (const k of Object.keys(shape).sort())
          properties[k] = this.property(shape[k] as z.ZodTypeAny, undefined, `${where}.${k}`);
        return { type: 'object', properties };
      }
      case 'ZodUnion':
        this.problems.push(`${where}: a union without a Go type`);
        return { oneOf: (d.options ?? []).map((o) => this.typeSchema(o, undefined, where)) };
      case 'ZodUnknown':
      case 'ZodAny':
        return { 'x-kubernetes-preserve-unknown-fields': true };
      default:
        this.problems.push(`${where}: no OpenAPI form for ${d.typeName}`);
        return {};
    }
  }

  /** Time, Quantity, IntOrString...: defined by their Go type alone. */
  private defineSpecial(name: string, def: GoTypeDefinition): Schema {
    if (!this.schemas[name]) {
      const schema: Schema = {};
      if (def.description) schema['description'] = def.description;
      this.schemas[name] = { ...schema, ...def.schema };
    }
    return ref(name);
  }
}
