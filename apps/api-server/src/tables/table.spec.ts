import type { KubeObject } from '@kubeling/api';
import { isStatusError } from '@kubeling/api';
import type { TableContext } from './table';
import {
  bookmarkTable,
  column,
  listTable,
  nameColumn,
  objectTable,
  parseTableOptions,
  printer,
} from './table';

const now = Date.parse('2024-05-01T10:00:00Z');
const p = printer<KubeObject>(
  [nameColumn, column('Extra', 'string', 'extra', { priority: 1 })],
  (o) => [o.metadata.name ?? '', 'x'],
);
const obj: KubeObject = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'a', namespace: 'ns', labels: { app: 'a' }, resourceVersion: '7' },
  data: { k: 'v' },
};
const ctx = (c: Partial<TableContext> = {}): TableContext => ({
  includeObject: 'Metadata',
  noHeaders: false,
  version: 'v1',
  now,
  typeMeta: { apiVersion: 'v1', kind: 'ConfigMap' },
  ...c,
});

describe('Table building', () => {
  it('wraps a single object in a one-row meta.k8s.io/v1 Table with its resourceVersion', () => {
    expect(objectTable(p, obj, ctx())).toEqual({
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { resourceVersion: '7' },
      columnDefinitions: [
        {
          name: 'Name',
          type: 'string',
          format: 'name',
          description: nameColumn.description,
          priority: 0,
        },
        { name: 'Extra', type: 'string', format: '', description: 'extra', priority: 1 },
      ],
      rows: [
        {
          cells: ['a', 'x'],
          object: {
            kind: 'PartialObjectMetadata',
            apiVersion: 'meta.k8s.io/v1',
            metadata: obj.metadata,
          },
        },
      ],
    });
  });

  it('carries list metadata: resourceVersion, continue, remainingItemCount', () => {
    const t = listTable(
      p,
      {
        metadata: { resourceVersion: '9', continue: 'tok', remainingItemCount: 3 },
        items: [obj, obj],
      },
      ctx(),
    );
    expect(t.metadata).toEqual({ resourceVersion: '9', continue: 'tok', remainingItemCount: 3 });
    expect(t.rows).toHaveLength(2);
    expect(listTable(p, { metadata: { resourceVersion: '9' }, items: [] }, ctx()).rows).toEqual([]);
  });

  it('attaches the full object with includeObject=Object, nothing with None', () => {
    const bare = { metadata: { name: 'b' } };
    expect(objectTable(p, bare, ctx({ includeObject: 'Object' })).rows[0]?.object).toEqual({
      metadata: { name: 'b' },
      apiVersion: 'v1',
      kind: 'ConfigMap',
    });
    expect(objectTable(p, obj, ctx({ includeObject: 'None' })).rows[0]).toEqual({
      cells: ['a', 'x'],
    });
  });

  it('answers in the negotiated version, and leaves headers out when told to', () => {
    const t = objectTable(p, obj, ctx({ version: 'v1beta1', noHeaders: true }));
    expect(t.apiVersion).toBe('meta.k8s.io/v1beta1');
    expect(t.columnDefinitions).toBeNull();
    expect((t.rows[0]?.object as { apiVersion: string }).apiVersion).toBe('meta.k8s.io/v1beta1');
    expect(JSON.parse(JSON.stringify(t))).toHaveProperty('columnDefinitions', null);
  });

  it('makes an empty Table for a bookmark', () => {
    expect(bookmarkTable(p, '42', ctx({ noHeaders: true }))).toEqual({
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { resourceVersion: '42' },
      columnDefinitions: null,
      rows: [],
    });
  });
});

describe('parseTableOptions', () => {
  it('defaults includeObject to Metadata and accepts None, Metadata, Object', () => {
    expect(parseTableOptions({})).toEqual({ includeObject: 'Metadata', noHeaders: false });
    for (const v of ['None', 'Metadata', 'Object'] as const)
      expect(parseTableOptions({ includeObject: v }).includeObject).toBe(v);
  });

  it('refuses anything else with 400', () => {
    try {
      parseTableOptions({ includeObject: 'Everything' });
      throw new Error('accepted');
    } catch (e) {
      expect(isStatusError(e) && e.status).toMatchObject({
        code: 400,
        reason: 'BadRequest',
        message: 'unrecognized includeObject value: "Everything"',
      });
    }
  });
});
