import { isStatusError } from '../meta/status';
import { typeOfKind } from './kindTypes';
import { strategicMergePatch } from './strategicMerge';
import type { JsonObject, StructType } from './types';
import { atomicList, map, mapList, setList, struct } from './types';

/** A test type with one field of each patch strategy. */
const item: StructType = struct();
item.fields = {
  list: mapList(['name'], item),
  atomic: atomicList(item),
  ints: setList({ merge: true }),
  labels: map(),
  replaced: struct({}, { replace: true }),
  retained: struct({ a: struct(), b: struct(), c: struct() }),
};

const names = (v: unknown) => ((v as JsonObject).list as JsonObject[]).map((e) => e.name);

describe('strategic merge patch directives', () => {
  const original = (): JsonObject => ({
    list: [
      { name: 'a', v: 1, x: 'keep' },
      { name: 'b', v: 1 },
    ],
    atomic: [{ name: 'a' }, { name: 'b' }],
    ints: [1, 2, 3],
    labels: { k: 'v', drop: 'me' },
    replaced: { old: true },
    retained: { a: 1, b: 2, c: 3 },
  });

  it('merges list items by their merge key, adding new ones in $setElementOrder order', () => {
    const out = strategicMergePatch(
      original(),
      {
        '$setElementOrder/list': [{ name: 'a' }, { name: 'b' }, { name: 'c' }],
        list: [
          { name: 'b', v: 2 },
          { name: 'c', v: 3 },
        ],
      },
      item,
    ) as JsonObject;
    expect(out.list).toEqual([
      { name: 'a', v: 1, x: 'keep' },
      { name: 'b', v: 2 },
      { name: 'c', v: 3 },
    ]);
  });

  it('reorders a list to $setElementOrder without other changes', () => {
    const out = strategicMergePatch(
      original(),
      { '$setElementOrder/list': [{ name: 'b' }, { name: 'a' }] },
      item,
    );
    expect(names(out)).toEqual(['b', 'a']);
  });

  it('deletes an item with $patch: delete and a field of an item with null', () => {
    const out = strategicMergePatch(
      original(),
      {
        '$setElementOrder/list': [{ name: 'a' }],
        list: [
          { name: 'a', x: null },
          { name: 'b', $patch: 'delete' },
        ],
      },
      item,
    ) as JsonObject;
    expect(out.list).toEqual([{ name: 'a', v: 1 }]);
  });

  it('replaces a merging list with $patch: replace, and atomic lists always', () => {
    const out = strategicMergePatch(
      original(),
      { list: [{ name: 'z' }, { $patch: 'replace' }], atomic: [{ name: 'c' }] },
      item,
    ) as JsonObject;
    expect(out.list).toEqual([{ name: 'z' }]);
    expect(out.atomic).toEqual([{ name: 'c' }]);
  });

  it('merges primitive lists as sets, with $deleteFromPrimitiveList and $setElementOrder', () => {
    const out = strategicMergePatch(
      original(),
      { '$setElementOrder/ints': [3, 4, 1], ints: [4], '$deleteFromPrimitiveList/ints': [2] },
      item,
    ) as JsonObject;
    expect(out.ints).toEqual([3, 4, 1]);
  });

  it('deletes map keys with null, empty a map with $patch: delete, and replaces patchStrategy=replace fields', () => {
    const out = strategicMergePatch(
      original(),
      { labels: { drop: null, add: 'x' }, replaced: { fresh: true } },
      item,
    ) as JsonObject;
    expect(out.labels).toEqual({ k: 'v', add: 'x' });
    expect(out.replaced).toEqual({ fresh: true });
    const gone = strategicMergePatch(
      original(),
      { labels: { $patch: 'delete' } },
      item,
    ) as JsonObject;
    // As upstream's mergeMap: `$patch: delete` empties the map.
    expect(gone.labels).toEqual({});
  });

  it('keeps only $retainKeys fields of a struct, then merges', () => {
    const out = strategicMergePatch(
      original(),
      { retained: { $retainKeys: ['a', 'c'], c: 4 } },
      item,
    ) as JsonObject;
    expect(out.retained).toEqual({ a: 1, c: 4 });
  });

  it('refuses a patch list item without the merge key', () => {
    expect(() => strategicMergePatch(original(), { list: [{ v: 9 }] }, item)).toThrow(
      'does not contain declared merge key: name',
    );
  });
});

describe('strategic merge patch on kubeling kinds', () => {
  const podType = typeOfKind('', 'Pod');
  const pod = (): JsonObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'hello', labels: { app: 'hello', env: 'dev' }, finalizers: ['a', 'b'] },
    spec: {
      containers: [
        {
          name: 'nginx',
          image: 'nginxdemos/hello:plain-text',
          ports: [
            { name: 'http', containerPort: 80, protocol: 'TCP' },
            { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
          ],
        },
        { name: 'debug', image: 'posquit0/doraemon:latest' },
      ],
      tolerations: [{ key: 'a', operator: 'Exists' }],
    },
  });

  it('kubectl set image: merges the container by name, keeps the others and their order', () => {
    const out = strategicMergePatch(
      pod(),
      {
        spec: {
          '$setElementOrder/containers': [{ name: 'nginx' }, { name: 'debug' }],
          containers: [{ image: 'nginxdemos/hello:latest', name: 'nginx' }],
        },
      },
      podType,
    ) as { spec: { containers: Array<{ name: string; image: string; ports?: unknown[] }> } };
    expect(out.spec.containers.map((c) => [c.name, c.image])).toEqual([
      ['nginx', 'nginxdemos/hello:latest'],
      ['debug', 'posquit0/doraemon:latest'],
    ]);
    expect(out.spec.containers[0]?.ports).toHaveLength(2);
  });

  it('client-side apply removing a container port sends $patch: delete by containerPort', () => {
    const out = strategicMergePatch(
      pod(),
      {
        spec: {
          '$setElementOrder/containers': [{ name: 'nginx' }, { name: 'debug' }],
          containers: [
            {
              name: 'nginx',
              '$setElementOrder/ports': [{ containerPort: 80 }],
              ports: [{ $patch: 'delete', containerPort: 9090 }],
            },
          ],
        },
      },
      podType,
    ) as { spec: { containers: Array<{ ports?: Array<{ containerPort: number }> }> } };
    expect(out.spec.containers[0]?.ports?.map((p) => p.containerPort)).toEqual([80]);
  });

  it('replaces lists without a patch strategy (tolerations) and unions finalizers', () => {
    const out = strategicMergePatch(
      pod(),
      {
        metadata: { finalizers: ['c'], '$deleteFromPrimitiveList/finalizers': ['a'] },
        spec: { tolerations: [{ key: 'b', operator: 'Exists' }] },
      },
      podType,
    ) as { metadata: { finalizers: string[] }; spec: { tolerations: unknown[] } };
    expect(out.metadata.finalizers).toEqual(['c', 'b']);
    expect(out.spec.tolerations).toEqual([{ key: 'b', operator: 'Exists' }]);
  });

  it('deletes map keys with null and replaces a map with $patch: replace', () => {
    const out = strategicMergePatch(
      pod(),
      { metadata: { labels: { env: null, tier: 'web' } } },
      podType,
    ) as { metadata: { labels: Record<string, string> } };
    expect(out.metadata.labels).toEqual({ app: 'hello', tier: 'web' });
    const replaced = strategicMergePatch(
      pod(),
      { metadata: { labels: { $patch: 'replace', only: 'this' } } },
      podType,
    ) as { metadata: { labels: Record<string, string> } };
    expect(replaced.metadata.labels).toEqual({ only: 'this' });
  });

  it('merges Service ports by port', () => {
    const svc = {
      spec: {
        ports: [
          { name: 'http', port: 8080, targetPort: 80, protocol: 'TCP' },
          { name: 'https', port: 8443, targetPort: 443, protocol: 'TCP' },
        ],
      },
    };
    const out = strategicMergePatch(
      svc,
      { spec: { ports: [{ port: 8443, targetPort: 8443 }] } },
      typeOfKind('', 'Service'),
    ) as { spec: { ports: Array<{ port: number; targetPort: number }> } };
    expect(out.spec.ports.map((p) => [p.port, p.targetPort])).toEqual([
      [8080, 80],
      [8443, 8443],
    ]);
  });

  it('$retainKeys on a Deployment strategy clears rollingUpdate when switching to Recreate', () => {
    const deploy = {
      spec: {
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      },
    };
    const out = strategicMergePatch(
      deploy,
      { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } },
      typeOfKind('apps', 'Deployment'),
    );
    expect(out).toEqual({ spec: { strategy: { type: 'Recreate' } } });
  });

  /** The Status a patch fails with: [code, reason, message]. */
  const failure = (patch: JsonObject, original: JsonObject = pod()) => {
    try {
      strategicMergePatch(original, patch, podType);
    } catch (e) {
      if (isStatusError(e)) return [e.code, e.reason, e.message];
      throw e;
    }
    throw new Error('the patch applied');
  };

  // Upstream answers these with a plain 500; the patch is to blame, so they are 400s here, with
  // upstream's messages.
  it('refuses a merge-list item without its merge key: 400 with upstream message', () => {
    expect(failure({ spec: { containers: [{ image: 'x' }] } })).toEqual([
      400,
      'BadRequest',
      'map: map[image:x] does not contain declared merge key: name',
    ]);
    expect(
      failure({ spec: { containers: [{ name: 'c', $patch: 'delete' }, { $patch: 'delete' }] } }),
    ).toEqual([
      400,
      'BadRequest',
      'map: map[$patch:delete] does not contain declared merge key: name',
    ]);
    expect(
      failure({
        spec: { '$setElementOrder/containers': [{ image: 'x' }], containers: [{ name: 'c' }] },
      }),
    ).toEqual([400, 'BadRequest', 'map: map[image:x] does not contain declared merge key: name']);
  });

  it('refuses an unknown $patch directive in a map and in a list item', () => {
    expect(failure({ metadata: { labels: { $patch: 'merge' } } })).toEqual([
      400,
      'BadRequest',
      'unknown patch type: merge in map: map[$patch:merge]',
    ]);
    expect(failure({ spec: { containers: [{ name: 'c', $patch: 'frob' }] } })).toEqual([
      400,
      'BadRequest',
      'unknown patch type: frob in map: map[$patch:frob name:c]',
    ]);
    expect(failure({ spec: { containers: [{ name: 'c', $patch: null }] } })[0]).toBe(400);
    expect(failure({ spec: { containers: [{ name: 'c', $patch: 'merge' }] } })).toEqual([
      400,
      'BadRequest',
      'merging lists cannot yet be specified in the patch',
    ]);
  });

  it('refuses list items of mixed types', () => {
    expect(
      failure(
        { spec: { containers: [{ name: 'c' }, 'sidecar'] } },
        { spec: { containers: [{ name: 'c' }] } },
      ),
    ).toEqual([
      400,
      'BadRequest',
      'list element types are not identical: [[map[name:c]] [map[name:c] sidecar]]',
    ]);
    expect(
      failure({ metadata: { finalizers: ['a', 1] } }, { metadata: { finalizers: ['x'] } }),
    ).toEqual([400, 'BadRequest', 'list element types are not identical: [[x] [a 1]]']);
  });

  it('refuses malformed $setElementOrder and $retainKeys', () => {
    expect(failure({ spec: { '$setElementOrder/containers': { name: 'c' } } })).toEqual([
      400,
      'BadRequest',
      'expected a []interface {}, but received a map[string]interface {}',
    ]);
    expect(failure({ spec: { $retainKeys: 'nope' } })).toEqual([
      400,
      'BadRequest',
      'invalid patch format of retainKeys',
    ]);
    expect(
      failure({
        spec: { '$setElementOrder/containers': [{ name: 'x' }], containers: [{ name: 'c' }] },
      }),
    ).toEqual([
      400,
      'BadRequest',
      "The order in patch list:\n[map[name:c]]\n doesn't match $setElementOrder list:\n[map[name:x]]\n",
    ]);
  });

  it('refuses lists of lists with 422, as upstream', () => {
    const [code, reason] = failure(
      { metadata: { finalizers: [['b']] } },
      { metadata: { finalizers: [['a']] } },
    );
    expect([code, reason]).toEqual([422, 'Invalid']);
  });

  it('treats keys named like Object.prototype members as plain keys', () => {
    const out = strategicMergePatch(
      pod(),
      { metadata: { labels: { constructor: 'x', toString: 'y' } } },
      podType,
    ) as { metadata: { labels: Record<string, unknown> } };
    expect(out.metadata.labels).toEqual({
      app: 'hello',
      env: 'dev',
      constructor: 'x',
      toString: 'y',
    });
    // `constructor` is no list of the original: nothing to order, nothing changes.
    expect(strategicMergePatch(pod(), { '$setElementOrder/constructor': ['a'] }, podType)).toEqual(
      pod(),
    );
  });

  it('behaves as the kubectl-patch task of the Kubernetes docs describes', () => {
    // A Deployment with one container; a strategic patch naming another container adds it
    // (containers merge by name), where a JSON merge patch would have replaced the list.
    const deploy = {
      spec: {
        template: {
          spec: {
            containers: [{ name: 'patch-demo-ctr', image: 'nginx' }],
            tolerations: [{ effect: 'NoSchedule', key: 'dedicated', value: 'test-team' }],
          },
        },
      },
    };
    const added = strategicMergePatch(
      deploy,
      {
        spec: {
          template: { spec: { containers: [{ name: 'patch-demo-ctr-2', image: 'redis' }] } },
        },
      },
      typeOfKind('apps', 'Deployment'),
    ) as { spec: { template: { spec: { containers: Array<{ name: string }> } } } };
    expect(added.spec.template.spec.containers.map((c) => c.name).sort()).toEqual([
      'patch-demo-ctr',
      'patch-demo-ctr-2',
    ]);
    // tolerations carry no patch strategy: a strategic patch replaces them whole.
    const tolerated = strategicMergePatch(
      deploy,
      {
        spec: {
          template: {
            spec: { tolerations: [{ effect: 'NoSchedule', key: 'disktype', value: 'ssd' }] },
          },
        },
      },
      typeOfKind('apps', 'Deployment'),
    ) as { spec: { template: { spec: { tolerations: unknown[] } } } };
    expect(tolerated.spec.template.spec.tolerations).toEqual([
      { effect: 'NoSchedule', key: 'disktype', value: 'ssd' },
    ]);
  });

  it('does not modify its arguments', () => {
    const original = pod();
    const patch = { metadata: { labels: { env: null } } };
    const before = JSON.stringify([original, patch]);
    strategicMergePatch(original, patch, podType);
    expect(JSON.stringify([original, patch])).toBe(before);
  });
});
