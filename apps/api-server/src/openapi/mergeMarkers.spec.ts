import type { KindInfo, StructType, TypeNode } from '@kubeling/api';
import { scheme } from '@kubeling/api';
import type { GoTypeDefinitions } from './goTypes';
import { goTypesFor } from './goTypes';
import { withMergeMarkers } from './mergeMarkers';

const core = 'io.k8s.api.core.v1';

function kind(apiVersion: string, name: string): KindInfo {
  const k = scheme.byKind(apiVersion, name);
  if (!k) throw new Error(`no ${apiVersion} ${name}`);
  return k;
}

const pod = kind('v1', 'Pod');
const service = kind('v1', 'Service');

/** Pod → spec → items (a keyed list), selector (atomic map), refs (atomic structs), tags (a set). */
const catalogue: GoTypeDefinitions = {
  [`${core}.Pod`]: {
    description: 'A pod.',
    fields: { spec: { type: `${core}.PodSpec`, description: 'Its spec.' } },
  },
  [`${core}.Service`]: {
    description: 'A service.',
    fields: { spec: { type: `${core}.PodSpec`, description: 'Borrowed spec.' } },
  },
  [`${core}.PodSpec`]: {
    description: 'A spec.',
    fields: {
      items: { type: `[]${core}.Item`, description: 'Items.' },
      selector: { description: 'Selector.' },
      ref: { type: `${core}.Ref`, description: 'A reference.' },
      tags: { description: 'Tags.' },
      names: { type: '[]string', description: 'Names.' },
    },
  },
  [`${core}.Item`]: {
    description: 'An item.',
    fields: {
      port: { description: 'Port.' },
      protocol: { description: 'Protocol.' },
    },
  },
  [`${core}.Ref`]: { description: 'A reference.', fields: { name: { description: 'Name.' } } },
};

const scalar: TypeNode = { kind: 'scalar' };

const podTree: StructType = {
  kind: 'struct',
  fields: {
    spec: {
      kind: 'struct',
      fields: {
        items: {
          kind: 'list',
          items: { kind: 'struct', fields: {} },
          patch: 'merge',
          mergeKey: 'port',
          listType: 'map',
          keys: ['port', 'protocol'],
          keyDefaults: { protocol: 'TCP' },
        },
        selector: { kind: 'map', values: scalar, atomic: true },
        ref: { kind: 'struct', fields: {}, atomic: true },
        tags: { kind: 'list', items: scalar, patch: 'merge', listType: 'set' },
        // The zod schema of this test has no such field: nothing to mark.
        ephemeral: { kind: 'list', items: scalar, patch: 'replace', listType: 'atomic' },
      },
    },
  },
};

function trees(byKind: Record<string, StructType>) {
  return (_group: string, k: string): StructType => byKind[k] ?? { kind: 'struct', fields: {} };
}

describe('withMergeMarkers', () => {
  it('puts the list, map and struct markers of the merge types on the catalogue', () => {
    const { types, problems } = withMergeMarkers(catalogue, [pod], trees({ Pod: podTree }));
    expect(problems).toEqual([]);
    const spec = types[`${core}.PodSpec`]?.fields ?? {};
    expect(spec['items']).toEqual({
      type: `[]${core}.Item`,
      description: 'Items.',
      listType: 'map',
      listMapKeys: ['port', 'protocol'],
      patchStrategy: 'merge',
      patchMergeKey: 'port',
    });
    expect(spec['selector']).toMatchObject({ mapType: 'atomic' });
    // A set merged by a strategic patch: no merge key.
    expect(spec['tags']).toEqual({
      description: 'Tags.',
      listType: 'set',
      patchStrategy: 'merge',
    });
    // structType=atomic is a type marker, as kube-openapi writes it.
    expect(types[`${core}.Ref`]?.mapType).toBe('atomic');
    expect(spec['ref']?.mapType).toBeUndefined();
    // keyDefaults are the +default of the key fields.
    expect(types[`${core}.Item`]?.fields?.['protocol']?.default).toBe('TCP');
    expect(types[`${core}.Item`]?.fields?.['port']?.default).toBeUndefined();
  });

  it('leaves the catalogue it was given alone', () => {
    const before = JSON.stringify(catalogue);
    withMergeMarkers(catalogue, [pod], trees({ Pod: podTree }));
    expect(JSON.stringify(catalogue)).toBe(before);
  });

  it('reports a Go type reached from two kinds with different markers', () => {
    const other: StructType = {
      kind: 'struct',
      fields: {
        spec: {
          kind: 'struct',
          fields: { tags: { kind: 'list', items: scalar, patch: 'replace', listType: 'atomic' } },
        },
      },
    };
    const { problems } = withMergeMarkers(
      catalogue,
      [pod, service],
      trees({ Pod: podTree, Service: other }),
    );
    expect(problems).toEqual([
      'io.k8s.api.core.v1.PodSpec.tags: listType "set" here, "atomic" elsewhere',
    ]);
  });

  it('reports trees the catalogue does not fit', () => {
    const wrong: StructType = {
      kind: 'struct',
      fields: {
        spec: {
          kind: 'struct',
          fields: {
            names: {
              kind: 'list',
              items: { kind: 'struct', fields: {} },
              patch: 'replace',
              listType: 'atomic',
            },
            selector: { kind: 'struct', fields: {} },
          },
        },
      },
    };
    const { [`${core}.Service`]: _service, ...withoutService } = catalogue;
    const { problems } = withMergeMarkers(
      withoutService,
      [pod, service],
      trees({ Pod: wrong, Service: podTree }),
    );
    expect(problems).toEqual([
      'io.k8s.api.core.v1.PodSpec.names: a list of objects, but the catalogue says []string',
      'io.k8s.api.core.v1.PodSpec.selector: an object, but the catalogue says nothing',
      'Service: io.k8s.api.core.v1.Service is not in the catalogue',
    ]);
  });

  it('fits the merge types of the whole scheme', () => {
    const { types, problems } = goTypesFor(scheme.all());
    expect(problems).toEqual([]);
    expect(types[`${core}.ContainerPort`]?.fields?.['protocol']?.default).toBe('TCP');
    expect(types[`${core}.ServicePort`]?.fields?.['protocol']?.default).toBe('TCP');
    expect(types['io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference']?.mapType).toBe('atomic');
  });
});
