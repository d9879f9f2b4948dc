import { z } from 'zod';
import { IntOrString, Quantity } from '@kubeling/api';
import type { GoTypeDefinitions } from './goTypes';
import type { Schema } from './schemas';
import { mergeObjects, SchemaBuilder } from './schemas';

const meta = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const quantity = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
const intOrString = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

/**
 * A small catalogue: one kind, its spec, a port, and the special types. Fields without a type
 * take it from zod (replicas, size, limits, port, args).
 */
const types: GoTypeDefinitions = {
  'io.example.v1.Thing': {
    description: 'Thing is a thing.',
    fields: {
      apiVersion: { type: 'string', description: 'APIVersion of it.' },
      kind: { type: 'string', description: 'Kind of it.' },
      spec: { type: 'io.example.v1.ThingSpec', description: 'Spec of it.', default: {} },
    },
  },
  'io.example.v1.ThingSpec': {
    description: 'ThingSpec is what a thing wants.',
    fields: {
      replicas: { description: 'How many.' },
      generation: { type: 'int64', description: 'Which one.' },
      ratio: { type: 'double', description: 'How much.' },
      size: { description: 'How big.', default: {} },
      limits: { description: 'At most.' },
      port: { description: 'Where.' },
      ports: {
        type: '[]io.example.v1.Port',
        description: 'Where else.',
        listType: 'map',
        listMapKeys: ['port', 'protocol'],
        patchMergeKey: 'port',
        patchStrategy: 'merge',
        retainKeys: true,
      },
      labels: { type: 'map[string]string', description: 'Labels.', mapType: 'atomic' },
      data: { type: 'map[string]byte', description: 'Bytes.' },
      args: { description: 'Args.', listType: 'atomic' },
      policy: { type: 'string', description: 'Policy.', enum: ['Never', 'Always'] },
      mode: { type: 'string', description: 'Mode.' },
      created: { type: `${meta}.Time`, description: 'When.' },
      name: { type: 'string', description: 'Name.', default: '' },
    },
    required: ['name'],
  },
  'io.example.v1.Port': {
    description: 'Port is a port.',
    mapType: 'atomic',
    fields: {
      port: { type: 'int32', description: 'Number.', default: 0 },
      protocol: { type: 'string', description: 'Protocol.' },
    },
    required: ['port'],
  },
  [quantity]: {
    description: 'Quantity is a number.',
    schema: { oneOf: [{ type: 'string' }, { type: 'number' }] },
  },
  [intOrString]: {
    description: 'IntOrString is either.',
    schema: { format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }] },
  },
  [`${meta}.Time`]: {
    description: 'Time is a time.',
    schema: { type: 'string', format: 'date-time' },
  },
};

const Thing = z
  .object({
    apiVersion: z.string().optional(),
    kind: z.string().optional(),
    spec: z
      .object({
        replicas: z.number().int().optional(),
        generation: z.number().int().optional(),
        ratio: z.number().optional(),
        size: Quantity.optional(),
        limits: z.record(Quantity).optional(),
        port: IntOrString.optional(),
        // Inline zod objects: the Go type of the field names them.
        ports: z
          .array(z.object({ port: z.number().int(), protocol: z.string().optional() }).strict())
          .optional(),
        labels: z.record(z.string()).optional(),
        data: z.record(z.string()).optional(),
        args: z.array(z.string()).optional(),
        policy: z.string().optional(),
        mode: z.enum(['Fast', 'Careful']).optional(),
        created: z.string().optional(),
        name: z.string(),
      })
      .strict()
      .default({ name: '' }),
  })
  .strict();

function build(): { b: SchemaBuilder; thing: Schema; spec: Schema; props: Record<string, Schema> } {
  const b = new SchemaBuilder(types);
  b.define('io.example.v1.Thing', Thing, { group: 'example.io', version: 'v1', kind: 'Thing' });
  const thing = b.schemas['io.example.v1.Thing'] as Schema;
  const spec = b.schemas['io.example.v1.ThingSpec'] as Schema;
  return { b, thing, spec, props: spec['properties'] as Record<string, Schema> };
}

describe('SchemaBuilder', () => {
  it('names nested objects after the Go types of their fields and refers to them', () => {
    const { b, thing, props } = build();
    expect(b.problems).toEqual([]);
    expect(Object.keys(b.schemas).sort()).toEqual(
      [
        `${meta}.Time`,
        'io.example.v1.Port',
        'io.example.v1.Thing',
        'io.example.v1.ThingSpec',
        quantity,
        intOrString,
      ].sort(),
    );
    // A $ref with a description or default is wrapped in allOf, as kube-openapi does.
    expect((thing['properties'] as Record<string, Schema>)['spec']).toEqual({
      allOf: [{ $ref: '#/components/schemas/io.example.v1.ThingSpec' }],
      description: 'Spec of it.',
      default: {},
    });
    expect(props['ports']?.['items']).toEqual({
      allOf: [{ $ref: '#/components/schemas/io.example.v1.Port' }],
      default: {},
    });
  });

  it('describes top-level kinds with their GVK and type-level map types', () => {
    const { b, thing } = build();
    expect(thing['description']).toBe('Thing is a thing.');
    expect(thing['x-kubernetes-group-version-kind']).toEqual([
      { group: 'example.io', kind: 'Thing', version: 'v1' },
    ]);
    expect(b.schemas['io.example.v1.Port']?.['x-kubernetes-map-type']).toBe('atomic');
  });

  it('marks what zod requires and what upstream requires, not what has a default', () => {
    const { b, thing, spec } = build();
    expect(thing['required']).toBeUndefined();
    expect(spec['required']).toEqual(['name']);
    // zod requires port; upstream requires port too; protocol is optional in both.
    expect(b.schemas['io.example.v1.Port']?.['required']).toEqual(['port']);
  });

  it('gives integers their Go format, Time its date-time, and other numbers double', () => {
    const { props } = build();
    expect(props['replicas']).toEqual({
      description: 'How many.',
      type: 'integer',
      format: 'int32',
    });
    expect(props['generation']).toMatchObject({ type: 'integer', format: 'int64' });
    expect(props['ratio']).toMatchObject({ type: 'number', format: 'double' });
    expect(props['created']).toEqual({
      allOf: [{ $ref: `#/components/schemas/${meta}.Time` }],
      description: 'When.',
    });
  });

  it('recognises Quantity and IntOrString by their zod schemas, in their upstream v3 forms', () => {
    const { b, props } = build();
    expect(props['port']).toEqual({
      allOf: [{ $ref: `#/components/schemas/${intOrString}` }],
      description: 'Where.',
    });
    expect(b.schemas[intOrString]).toEqual({
      description: 'IntOrString is either.',
      format: 'int-or-string',
      oneOf: [{ type: 'integer' }, { type: 'string' }],
    });
    expect(b.schemas[quantity]).toEqual({
      description: 'Quantity is a number.',
      oneOf: [{ type: 'string' }, { type: 'number' }],
    });
    expect(props['size']).toMatchObject({
      allOf: [{ $ref: `#/components/schemas/${quantity}` }],
      default: {},
    });
    expect(props['limits']).toEqual({
      description: 'At most.',
      type: 'object',
      additionalProperties: { allOf: [{ $ref: `#/components/schemas/${quantity}` }], default: {} },
    });
  });

  it('renders maps and arrays with zero-value element defaults and their extensions', () => {
    const { props } = build();
    expect(props['labels']).toEqual({
      description: 'Labels.',
      type: 'object',
      additionalProperties: { type: 'string', default: '' },
      'x-kubernetes-map-type': 'atomic',
    });
    expect(props['data']).toEqual({
      description: 'Bytes.',
      type: 'object',
      additionalProperties: { type: 'string', format: 'byte' },
    });
    expect(props['args']).toEqual({
      description: 'Args.',
      type: 'array',
      items: { type: 'string', default: '' },
      'x-kubernetes-list-type': 'atomic',
    });
    expect(props['ports']).toMatchObject({
      type: 'array',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['port', 'protocol'],
      'x-kubernetes-patch-merge-key': 'port',
      // retainKeys is written in the catalogue; merge comes from the merge types.
      'x-kubernetes-patch-strategy': 'merge,retainKeys',
    });
    expect(props['name']).toEqual({ description: 'Name.', type: 'string', default: '' });
  });

  it('takes enums from zod, or from the Go enum type (sorted) when zod only says string', () => {
    const { props } = build();
    expect(props['mode']).toEqual({
      description: 'Mode.',
      type: 'string',
      enum: ['Careful', 'Fast'],
    });
    expect(props['policy']).toEqual({
      description: 'Policy.',
      type: 'string',
      enum: ['Always', 'Never'],
    });
  });

  it('reports fields and objects the catalogue cannot describe, and keeps them inline', () => {
    const b = new SchemaBuilder(types);
    b.define(
      'io.example.v1.ThingSpec',
      z.object({
        name: z.string(),
        extra: z.object({ a: z.string() }).optional(),
        mode: z.number().optional(),
      }),
    );
    expect(b.problems).toEqual([
      'io.example.v1.ThingSpec.extra: not in the Go type',
      'io.example.v1.ThingSpec.extra: object without a Go type name',
      // The catalogue says string, zod a number: one of them is wrong.
      'io.example.v1.ThingSpec.mode: Go type string does not fit a ZodNumber',
    ]);
    const props = b.schemas['io.example.v1.ThingSpec']?.['properties'] as Record<string, Schema>;
    expect(props['extra']).toEqual({ type: 'object', properties: { a: { type: 'string' } } });
    expect(new SchemaBuilder(types).define('io.example.v1.Nothing', z.object({}))).toBe(
      'io.example.v1.Nothing',
    );
    const wrongShape = new SchemaBuilder(types);
    wrongShape.define('io.example.v1.Thing', z.object({ spec: z.string() }));
    expect(wrongShape.problems).toEqual([
      'io.example.v1.Thing.spec: Go type io.example.v1.ThingSpec does not fit a ZodString',
    ]);
  });

  it('reports unions it cannot name, types zod contradicts and required fields it lacks', () => {
    const b = new SchemaBuilder(types);
    b.define(
      'io.example.v1.ThingSpec',
      z.object({
        mode: z.union([z.boolean(), z.string()]).optional(),
        labels: z.array(z.string()).optional(),
        generation: z.string().optional(),
      }),
    );
    expect(b.problems).toEqual([
      'io.example.v1.ThingSpec.mode: a union without a Go type',
      'io.example.v1.ThingSpec.labels: Go type map[string]string does not fit a ZodArray',
      'io.example.v1.ThingSpec.generation: Go type int64 does not fit a ZodString',
      'io.example.v1.ThingSpec.name: required, but not in the zod schema',
    ]);
  });

  it("keeps an object the server stores as sent free-form, with its Go type's words", () => {
    const b = new SchemaBuilder({
      ...types,
      'io.example.v1.Bag': {
        description: 'Bag is kept as sent.',
        fields: { config: { type: 'io.example.v1.Opaque', description: 'Anything.' } },
      },
      'io.example.v1.Opaque': { description: 'Opaque is whatever it is.' },
    });
    b.define('io.example.v1.Bag', z.object({ config: z.record(z.unknown()).optional() }));
    expect(b.problems).toEqual([]);
    expect(b.schemas['io.example.v1.Bag']?.['properties']).toEqual({
      config: {
        description: 'Anything.',
        type: 'object',
        'x-kubernetes-preserve-unknown-fields': true,
      },
    });
    expect(b.schemas['io.example.v1.Opaque']).toBeUndefined();
  });

  it('merges two zod shapes of one Go type into one definition admitting both', () => {
    const b = new SchemaBuilder(types);
    b.define('io.example.v1.Port', z.object({ port: z.number().int() }));
    b.define('io.example.v1.Port', z.object({ protocol: z.string() }));
    expect(b.merged).toEqual(new Set(['io.example.v1.Port']));
    const port = b.schemas['io.example.v1.Port'] as Schema;
    expect(Object.keys(port['properties'] as Schema)).toEqual(['port', 'protocol']);
    // An object either schema accepts may lack port (the second) or protocol (the first).
    expect(port['required']).toBeUndefined();
    expect(
      mergeObjects(
        { properties: { a: {}, b: {} }, required: ['a', 'b'] },
        { properties: { a: {} }, required: ['a'] },
      ),
    ).toEqual({ properties: { a: {}, b: {} }, required: ['a'] });
    expect(mergeObjects({ properties: {}, required: ['a'] }, { properties: {} })).toEqual({
      properties: {},
    });
  });

  it('builds the same definitions for the same inputs', () => {
    expect(JSON.stringify(build().b.schemas)).toBe(JSON.stringify(build().b.schemas));
  });
});
