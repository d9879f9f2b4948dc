import type { KubeObject } from '@kubeling/api';
import { isStatusError } from '@kubeling/api';
import { negotiateOutput } from './mediaType';
import type { ConversionRequest } from './transform';
import { convertBody, prepareConversion, watchConverter } from './transform';

const now = Date.parse('2024-05-01T10:00:00Z');
const tableAccept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
const pod = (name: string, rv: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    namespace: 'default',
    resourceVersion: rv,
    creationTimestamp: '2024-05-01T09:59:00Z',
  },
  spec: { containers: [{ name: 'c', image: 'i' }] },
  status: { phase: 'Pending' },
});
const req = (r: Partial<ConversionRequest> = {}): ConversionRequest => ({
  verb: 'list',
  group: '',
  resource: 'pods',
  query: {},
  typeMeta: { apiVersion: 'v1', kind: 'Pod' },
  now,
  ...r,
});
const status = { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 404 };

function code(f: () => unknown): number {
  try {
    f();
  } catch (e) {
    if (isStatusError(e)) return e.status.code;
    throw e;
  }
  return 200;
}

describe('prepareConversion', () => {
  it('is nothing without a conversion in the Accept header', () => {
    expect(prepareConversion(negotiateOutput('application/json', false), req())).toBeUndefined();
  });

  it('refuses conversions that cannot apply to the verb with 406, and a bad includeObject with 400', () => {
    const pom = negotiateOutput(
      'application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io',
      false,
    );
    const poml = negotiateOutput(
      'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io',
      false,
    );
    expect(code(() => prepareConversion(pom, req({ verb: 'list' })))).toBe(406);
    expect(code(() => prepareConversion(poml, req({ verb: 'get' })))).toBe(406);
    expect(code(() => prepareConversion(pom, req({ verb: 'get' })))).toBe(200);
    const table = negotiateOutput(tableAccept, false);
    expect(code(() => prepareConversion(table, req({ query: { includeObject: 'All' } })))).toBe(
      400,
    );
  });
});

describe('convertBody', () => {
  const table = prepareConversion(negotiateOutput(tableAccept, false), req())!;

  it('turns a list into a Table of pod rows, keeping list metadata', () => {
    const t = convertBody(
      {
        kind: 'PodList',
        apiVersion: 'v1',
        metadata: { resourceVersion: '5', continue: 'c' },
        items: [pod('a', '3')],
      },
      table,
    ) as { kind: string; metadata: unknown; rows: Array<{ cells: unknown[] }> };
    expect(t.kind).toBe('Table');
    expect(t.metadata).toEqual({ resourceVersion: '5', continue: 'c' });
    expect(t.rows.map((r) => r.cells.slice(0, 5))).toEqual([['a', '0/1', 'Pending', '0', '60s']]);
  });

  it('passes Status objects through', () => {
    expect(convertBody(status, table)).toBe(status);
  });

  it('makes PartialObjectMetadata and PartialObjectMetadataList', () => {
    const pom = prepareConversion(
      negotiateOutput('application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io', false),
      req({ verb: 'get' }),
    )!;
    expect(convertBody(pod('a', '3'), pom)).toEqual({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: pod('a', '3').metadata,
    });
    const poml = prepareConversion(
      negotiateOutput('application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io', false),
      req(),
    )!;
    expect(
      convertBody(
        { kind: 'PodList', metadata: { resourceVersion: '5' }, items: [pod('a', '3')] },
        poml,
      ),
    ).toEqual({
      kind: 'PartialObjectMetadataList',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { resourceVersion: '5' },
      items: [
        {
          kind: 'PartialObjectMetadata',
          apiVersion: 'meta.k8s.io/v1',
          metadata: pod('a', '3').metadata,
        },
      ],
    });
    expect(code(() => convertBody(pod('a', '3'), poml))).toBe(406);
  });
});

describe('watchConverter', () => {
  it('sends one-row Tables, with column definitions on the first event only', () => {
    const conv = prepareConversion(negotiateOutput(tableAccept, true), req({ verb: 'watch' }))!;
    let clock = now;
    const convert = watchConverter(conv, () => clock);
    const first = convert({ type: 'ADDED', object: pod('a', '3') }).object as {
      columnDefinitions: unknown[] | null;
      rows: Array<{ cells: unknown[] }>;
    };
    expect(first.columnDefinitions).toHaveLength(9);
    expect(first.rows[0]?.cells[4]).toBe('60s');
    clock = now + 60_000;
    const second = convert({ type: 'MODIFIED', object: pod('a', '4') }).object as typeof first;
    expect(second.columnDefinitions).toBeNull();
    expect(second.rows[0]?.cells[4]).toBe('2m');
    const deleted = convert({ type: 'DELETED', object: pod('a', '5') });
    expect(deleted.type).toBe('DELETED');
  });

  it('keeps ERROR events, and reduces a BOOKMARK to its resourceVersion', () => {
    const conv = prepareConversion(negotiateOutput(tableAccept, true), req({ verb: 'watch' }))!;
    const convert = watchConverter(conv, () => now);
    expect(convert({ type: 'ERROR', object: status })).toEqual({ type: 'ERROR', object: status });
    const bm = convert({
      type: 'BOOKMARK',
      object: { kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: '77' } },
    });
    expect(bm.object).toMatchObject({
      kind: 'Table',
      metadata: { resourceVersion: '77' },
      rows: [],
    });
  });

  it('sends PartialObjectMetadata to metadata watchers', () => {
    const conv = prepareConversion(
      negotiateOutput('application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io', true),
      req({ verb: 'watch' }),
    )!;
    const ev = watchConverter(conv, () => now)({ type: 'ADDED', object: pod('a', '3') });
    expect(ev.object).toEqual({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: pod('a', '3').metadata,
    });
  });
});
