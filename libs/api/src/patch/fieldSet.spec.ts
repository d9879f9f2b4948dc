import { compare, FieldSet, pathString, toFieldSet, withNamedFieldsAsMembers } from './fieldSet';
import { typeOfKind, zeroObjectOf } from './kindTypes';
import { mergeValues, removeItems } from './structuredMerge';

const podType = typeOfKind('', 'Pod');

const pod = () => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'hello',
    labels: { app: 'hello' },
    finalizers: ['example.com/a'],
    ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'x', uid: 'u1' }],
  },
  spec: {
    containers: [
      {
        name: 'nginx',
        image: 'nginx',
        ports: [{ containerPort: 80 }],
        resources: {},
        env: [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
      },
    ],
    nodeSelector: { disk: 'ssd' },
    tolerations: [{ key: 'k', operator: 'Exists' }],
  },
});

describe('FieldSet', () => {
  it('serializes members with children as ".", and parses it back', () => {
    const s = FieldSet.of(
      ['f:metadata', 'f:labels'],
      ['f:metadata', 'f:labels', 'f:app'],
      ['f:spec', 'f:replicas'],
    );
    const v1 = s.toFieldsV1();
    expect(v1).toEqual({
      'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
      'f:spec': { 'f:replicas': {} },
    });
    expect(Object.keys(v1['f:metadata'] as object)).toEqual(['f:labels']);
    expect(FieldSet.fromFieldsV1(v1).toFieldsV1()).toEqual(v1);
    expect(() => FieldSet.fromFieldsV1({ 'x:y': {} })).toThrow('unknown path element type');
  });

  it('difference keeps what lies below a removed member; recursiveDifference drops it', () => {
    const s = FieldSet.of(['f:spec'], ['f:spec', 'f:replicas']);
    const o = FieldSet.of(['f:spec']);
    expect(s.difference(o).toFieldsV1()).toEqual({ 'f:spec': { 'f:replicas': {} } });
    expect(s.recursiveDifference(o).isEmpty()).toBe(true);
    expect(s.intersection(FieldSet.of(['f:spec', 'f:replicas'])).paths()).toEqual([
      ['f:spec', 'f:replicas'],
    ]);
    expect(s.union(FieldSet.of(['f:x'])).has(['f:x'])).toBe(true);
  });

  it('prints paths as conflict messages do', () => {
    expect(
      pathString([
        'f:spec',
        'f:template',
        'f:spec',
        'f:containers',
        'k:{"name":"nginx"}',
        'f:ports',
        'k:{"containerPort":80,"protocol":"TCP"}',
      ]),
    ).toBe('.spec.template.spec.containers[name="nginx"].ports[containerPort=80,protocol="TCP"]');
    expect(pathString(['f:metadata', 'f:finalizers', 'v:"a"'])).toBe('.metadata.finalizers[="a"]');
  });
});

describe('toFieldSet', () => {
  it('records what an object sets with the upstream element kinds', () => {
    expect(toFieldSet(pod(), podType).toFieldsV1()).toEqual({
      'f:apiVersion': {},
      'f:kind': {},
      'f:metadata': {
        'f:finalizers': { 'v:"example.com/a"': {} },
        'f:labels': { 'f:app': {} },
        'f:name': {},
        // OwnerReference is an atomic struct: owned as a whole.
        'f:ownerReferences': { 'k:{"uid":"u1"}': {} },
      },
      'f:spec': {
        'f:containers': {
          'k:{"name":"nginx"}': {
            '.': {},
            'f:env': {
              'k:{"name":"A"}': {
                '.': {},
                'f:name': {},
                'f:valueFrom': { 'f:fieldRef': {} },
              },
            },
            'f:image': {},
            'f:name': {},
            // protocol is a key with a default, so an item without it is keyed TCP.
            'f:ports': {
              'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} },
            },
            'f:resources': {},
          },
        },
        'f:nodeSelector': {},
        'f:tolerations': {},
      },
    });
  });

  it('refuses an applied list item without its key', () => {
    expect(() => toFieldSet({ spec: { containers: [{ image: 'x' }] } }, podType, true)).toThrow(
      'associative list with keys has an element that omits key field "name"',
    );
  });
});

describe('compare', () => {
  it('starting from the zero object, owns new maps and items with "." but not spec itself', () => {
    const c = compare(zeroObjectOf('', 'v1', 'Pod'), pod(), podType);
    const v1 = c.added.union(c.modified).toFieldsV1() as Record<string, Record<string, unknown>>;
    expect(v1['f:spec']?.['.']).toBeUndefined();
    expect(v1['f:metadata']?.['f:labels']).toEqual({ '.': {}, 'f:app': {} });
    expect((v1['f:spec']?.['f:containers'] as Record<string, unknown>)['.']).toBeUndefined();
    // The zero Pod's empty status counts as removed; the main resource ignores status anyway.
    expect(c.removed.paths()).toEqual([['f:status']]);
  });

  it('tells added, modified and removed leaves apart', () => {
    const before = pod();
    const after = pod();
    after.spec.containers[0]!.image = 'nginx:2';
    delete (after.metadata as { finalizers?: string[] }).finalizers;
    (after.metadata.labels as Record<string, string>).tier = 'web';
    const c = compare(before, after, podType);
    expect(c.modified.paths()).toEqual([
      ['f:spec', 'f:containers', 'k:{"name":"nginx"}', 'f:image'],
    ]);
    expect(c.added.paths()).toEqual([['f:metadata', 'f:labels', 'f:tier']]);
    expect(c.removed.paths()).toEqual([
      ['f:metadata', 'f:finalizers'],
      ['f:metadata', 'f:finalizers', 'v:"example.com/a"'],
    ]);
  });

  it('treats atomic lists and maps as one leaf', () => {
    const before = pod();
    const after = pod();
    after.spec.tolerations.push({ key: 'j', operator: 'Exists' });
    after.spec.nodeSelector = { disk: 'hdd' };
    expect(compare(before, after, podType).modified.paths()).toEqual([
      ['f:spec', 'f:nodeSelector'],
      ['f:spec', 'f:tolerations'],
    ]);
  });
});

describe('structured merge', () => {
  const deployType = typeOfKind('apps', 'Deployment');

  it('merges associative lists by key in the configuration order, keeping live-only items', () => {
    const live = {
      spec: {
        template: {
          spec: {
            containers: [
              { name: 'a', image: 'a:1', imagePullPolicy: 'Always' },
              { name: 'side', image: 's' },
              { name: 'b', image: 'b:1' },
            ],
          },
        },
      },
    };
    const config = {
      spec: {
        template: {
          spec: {
            containers: [
              { name: 'b', image: 'b:2' },
              { name: 'a', image: 'a:2' },
              { name: 'c', image: 'c' },
            ],
          },
        },
      },
    };
    const merged = mergeValues(live, config, deployType) as typeof live;
    expect(merged.spec.template.spec.containers).toEqual([
      { name: 'side', image: 's' },
      { name: 'b', image: 'b:2' },
      { name: 'a', image: 'a:2', imagePullPolicy: 'Always' },
      { name: 'c', image: 'c' },
    ]);
  });

  it('replaces atomic values and unions sets (configuration order first)', () => {
    const live = {
      metadata: { finalizers: ['a', 'b'] },
      spec: { selector: { matchLabels: { x: '1', y: '2' } } },
    };
    const config = {
      metadata: { finalizers: ['c', 'a'] },
      spec: { selector: { matchLabels: { x: '1' } } },
    };
    expect(mergeValues(live, config, deployType)).toEqual({
      metadata: { finalizers: ['c', 'a', 'b'] },
      spec: { selector: { matchLabels: { x: '1' } } },
    });
  });

  it('removes list items and fields named by a set', () => {
    const value = {
      spec: { replicas: 2, template: { spec: { containers: [{ name: 'a' }, { name: 'b' }] } } },
    };
    const set = FieldSet.of(
      ['f:spec', 'f:replicas'],
      ['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"b"}'],
    );
    expect(removeItems(value, set, deployType)).toEqual({
      spec: { template: { spec: { containers: [{ name: 'a' }] } } },
    });
  });

  it('counts struct fields with owned children as members, not map keys', () => {
    const s = FieldSet.of(['f:spec', 'f:template', 'f:metadata', 'f:labels', 'f:app']);
    expect(withNamedFieldsAsMembers(s, deployType).paths()).toEqual([
      ['f:spec'],
      ['f:spec', 'f:template'],
      ['f:spec', 'f:template', 'f:metadata'],
      ['f:spec', 'f:template', 'f:metadata', 'f:labels'],
      ['f:spec', 'f:template', 'f:metadata', 'f:labels', 'f:app'],
    ]);
  });
});
