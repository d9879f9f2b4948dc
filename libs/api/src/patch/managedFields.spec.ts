import { FieldSet } from './fieldSet';
import { typeOfKind, zeroObjectOf } from './kindTypes';
import type { ManagedWrite, Manager } from './managedFields';
import {
  applyConfiguration,
  decodeManagedFields,
  encodeManagedFields,
  maxUpdateManagers,
  updateManagers,
} from './managedFields';
import type { JsonObject } from './types';

const type = typeOfKind('apps', 'Deployment');
const zero = zeroObjectOf('apps', 'v1', 'Deployment');
const status = FieldSet.of(['f:status']);

function w(manager: string, now = '2024-01-01T00:00:00Z'): ManagedWrite {
  return { type, ignored: status, manager, apiVersion: 'apps/v1', now };
}

function deployment(replicas = 1, image = 'nginx:1'): JsonObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'default',
      uid: 'u',
      resourceVersion: '5',
      labels: { app: 'web' },
    },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'nginx', image }] },
      },
    },
    status: { replicas: 0 },
  };
}

const fieldsOf = (ms: Manager[] | undefined, manager: string) =>
  ms?.find((m) => m.manager === manager)?.fields.toFieldsV1();

describe('updateManagers (POST, PUT, PATCH)', () => {
  it('on create, gives the creator every field it set, minus server metadata and status', () => {
    const ms = updateManagers([], zero, deployment(), w('kubectl-create'), true);
    expect(ms).toHaveLength(1);
    expect(ms?.[0]).toMatchObject({
      manager: 'kubectl-create',
      operation: 'Update',
      time: '2024-01-01T00:00:00Z',
    });
    expect(fieldsOf(ms, 'kubectl-create')).toEqual({
      'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
      'f:spec': {
        'f:replicas': {},
        'f:selector': {},
        'f:template': {
          'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
          'f:spec': {
            'f:containers': { 'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:name': {} } },
          },
        },
      },
    });
  });

  it('moves a changed field to the writer and drops removed fields from everyone', () => {
    const created = updateManagers([], zero, deployment(), w('creator'), true)!;
    const next = deployment(1, 'nginx:2');
    delete (next.metadata as JsonObject).labels;
    const ms = updateManagers(
      created,
      deployment(),
      next,
      w('kubectl-set', '2024-01-01T00:01:00Z'),
      false,
    );
    expect(fieldsOf(ms, 'kubectl-set')).toEqual({
      'f:spec': {
        'f:template': {
          'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { 'f:image': {} } } },
        },
      },
    });
    const creator = fieldsOf(ms, 'creator') as JsonObject;
    expect(JSON.stringify(creator)).not.toContain('f:image');
    expect(creator['f:metadata']).toBeUndefined();
  });

  it('records nothing for a write that changes nothing, and nothing for untracked objects', () => {
    const created = updateManagers([], zero, deployment(), w('creator'), true)!;
    const again = updateManagers(
      created,
      deployment(),
      deployment(),
      w('other', '2025-01-01T00:00:00Z'),
      false,
    );
    expect(again?.map((m) => m.manager)).toEqual(['creator']);
    expect(again?.[0]?.time).toBe('2024-01-01T00:00:00Z');
    expect(updateManagers([], deployment(), deployment(2), w('x'), false)).toBeUndefined();
  });

  it('keeps status out of main-resource ownership', () => {
    const next = deployment();
    next.status = { replicas: 3 };
    const ms = updateManagers([], zero, next, w('c'), true);
    expect(JSON.stringify(fieldsOf(ms, 'c'))).not.toContain('f:status');
  });

  it('unions a manager’s new changes with what it owned, and collapses old managers past ten', () => {
    let ms = updateManagers([], zero, deployment(), w('creator', '2024-01-01T00:00:00Z'), true)!;
    let cur = deployment();
    for (let i = 0; i < maxUpdateManagers + 2; i++) {
      const next = structuredClone(cur);
      ((next.metadata as JsonObject).labels as JsonObject)[`l${i}`] = 'x';
      ms = updateManagers(
        ms,
        cur,
        next,
        w(`m${i}`, `2024-01-01T00:0${Math.floor(i / 10)}:${10 + (i % 10)}Z`),
        false,
      )!;
      cur = next;
    }
    const updates = ms.filter((m) => m.operation === 'Update');
    expect(updates).toHaveLength(maxUpdateManagers);
    expect(ms.map((m) => m.manager)).toContain('ancient-changes');
  });

  it('encodes entries in upstream order and decodes them back', () => {
    const ms: Manager[] = [
      {
        manager: 'b',
        operation: 'Update',
        apiVersion: 'apps/v1',
        time: '2024-01-02T00:00:00Z',
        fields: FieldSet.of(['f:spec', 'f:replicas']),
      },
      {
        manager: 'a',
        operation: 'Update',
        apiVersion: 'apps/v1',
        time: '2024-01-01T00:00:00Z',
        fields: FieldSet.of(['f:spec', 'f:paused']),
        subresource: 'scale',
      },
      {
        manager: 'z',
        operation: 'Apply',
        apiVersion: 'apps/v1',
        time: '2024-01-03T00:00:00Z',
        fields: FieldSet.of(['f:spec', 'f:x']),
      },
    ];
    const entries = encodeManagedFields(ms);
    expect(entries.map((e) => e.manager)).toEqual(['z', 'a', 'b']);
    expect(entries[1]).toEqual({
      manager: 'a',
      operation: 'Update',
      apiVersion: 'apps/v1',
      time: '2024-01-01T00:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:spec': { 'f:paused': {} } },
      subresource: 'scale',
    });
    expect(decodeManagedFields(entries).map((m) => m.fields.toFieldsV1())).toEqual(
      entries.map((e) => e.fieldsV1),
    );
    expect(() => decodeManagedFields([{ manager: 'x', operation: 'Patch' as 'Apply' }])).toThrow();
  });
});

describe('applyConfiguration (server-side apply)', () => {
  const config = (replicas?: number, image = 'nginx:1', extra: JsonObject = {}): JsonObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      ...(replicas === undefined ? {} : { replicas }),
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'nginx', image, ...extra }] },
      },
    },
  });
  const base = () => {
    const b = structuredClone(zero);
    b.metadata = { name: 'web', namespace: 'default' };
    return b;
  };

  it('creates from the zero object and owns exactly the configuration', () => {
    const r = applyConfiguration([], base(), config(2), w('kubectl'), false, zero);
    expect(r.conflicts).toEqual([]);
    expect(r.changed).toBe(true);
    expect((r.object?.spec as JsonObject).replicas).toBe(2);
    expect(r.managers).toHaveLength(1);
    expect(r.managers[0]).toMatchObject({
      manager: 'kubectl',
      operation: 'Apply',
      time: '2024-01-01T00:00:00Z',
    });
    expect(fieldsOf(r.managers, 'kubectl')).toEqual({
      'f:spec': {
        'f:replicas': {},
        'f:selector': {},
        'f:template': {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': {
            'f:containers': { 'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:name': {} } },
          },
        },
      },
    });
  });

  it('merges into the live object instead of replacing it, and is a no-op when applied again', () => {
    const first = applyConfiguration([], base(), config(2), w('kubectl'), false, zero);
    const live: JsonObject = { ...first.object!, status: { replicas: 2 } };
    (live.metadata as JsonObject).annotations = { note: 'kept' };
    const again = applyConfiguration(
      first.managers,
      live,
      config(2),
      w('kubectl', '2025-01-01T00:00:00Z'),
      false,
      zero,
    );
    expect(again.changed).toBe(false);
    expect(again.object).toEqual(live);
    expect(again.managers[0]?.time).toBe('2024-01-01T00:00:00Z');
  });

  it('never prunes the object metadata itself, only what the applier owned in it', () => {
    const labelled = config(2);
    (labelled.metadata as JsonObject).labels = { mine: 'x' };
    const first = applyConfiguration([], base(), labelled, w('kubectl'), false, zero);
    const withoutMetadata = config(2);
    delete withoutMetadata.metadata;
    const r = applyConfiguration(
      first.managers,
      first.object!,
      withoutMetadata,
      w('kubectl'),
      false,
      zero,
    );
    expect(r.object?.metadata).toEqual({ name: 'web', namespace: 'default' });
  });

  it('removes what the applier stopped applying, unless someone else owns it', () => {
    const first = applyConfiguration(
      [],
      base(),
      config(2, 'nginx:1', { ports: [{ containerPort: 80 }] }),
      w('kubectl'),
      false,
      zero,
    );
    const dropped = applyConfiguration(
      first.managers,
      first.object!,
      config(undefined),
      w('kubectl'),
      false,
      zero,
    );
    const spec = dropped.object?.spec as JsonObject;
    expect(spec.replicas).toBeUndefined();
    const c = ((spec.template as JsonObject).spec as JsonObject).containers as JsonObject[];
    expect(c[0]).toEqual({ name: 'nginx', image: 'nginx:1' });

    // Another manager set replicas afterwards: the applier dropping it must not delete it.
    const scaled = structuredClone(first.object!);
    (scaled.spec as JsonObject).replicas = 5;
    const ms = updateManagers(first.managers, first.object, scaled, w('kubectl-scale'), false)!;
    const kept = applyConfiguration(ms, scaled, config(undefined), w('kubectl'), false, zero);
    expect((kept.object?.spec as JsonObject).replicas).toBe(5);
  });

  it('reports a conflict on a field another manager changed, and moves it when forced', () => {
    const first = applyConfiguration(
      [],
      base(),
      config(2),
      w('kubectl-client-side-apply'),
      false,
      zero,
    );
    const other = applyConfiguration(
      first.managers,
      first.object!,
      config(3),
      w('other'),
      false,
      zero,
    );
    expect(other.object).toBeUndefined();
    expect(other.conflicts.map((c) => [c.manager.manager, c.path])).toEqual([
      ['kubectl-client-side-apply', ['f:spec', 'f:replicas']],
    ]);
    const forced = applyConfiguration(
      first.managers,
      first.object!,
      config(3),
      w('other'),
      true,
      zero,
    );
    expect((forced.object?.spec as JsonObject).replicas).toBe(3);
    expect(JSON.stringify(fieldsOf(forced.managers, 'kubectl-client-side-apply'))).not.toContain(
      'f:replicas',
    );
    expect(fieldsOf(forced.managers, 'other')).toMatchObject({ 'f:spec': { 'f:replicas': {} } });
  });

  it('shares ownership of a field applied with the same value, without conflict', () => {
    const first = applyConfiguration([], base(), config(2), w('a'), false, zero);
    const second = applyConfiguration(
      first.managers,
      first.object!,
      config(2),
      w('b'),
      false,
      zero,
    );
    expect(second.conflicts).toEqual([]);
    expect(second.changed).toBe(false);
    // A new manager whose apply changed nothing gets no time, as upstream records it.
    expect(second.managers.find((m) => m.manager === 'b')?.time).toBeUndefined();
    expect(second.managers.map((m) => m.manager).sort()).toEqual(['a', 'b']);
  });

  it('gives the existing content of an unowned object to before-first-apply', () => {
    const live = { ...deployment(4), metadata: { name: 'web' } };
    const r = applyConfiguration([], live, config(2), w('kubectl'), false, zero);
    expect(r.conflicts.map((c) => c.manager.manager)).toEqual(['before-first-apply']);
  });
});
