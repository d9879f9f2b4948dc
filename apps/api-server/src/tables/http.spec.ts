/**
 * Accept negotiation and Table conversion over HTTP, against an in-process api-server on the
 * real Redis and NATS: what kubectl get, get -w, --sort-by and metadata-only clients receive,
 * and the 406 for what the server cannot write.
 */
import { readWatch } from '@kubeling/testing';
import type { RunningApiServer } from '../app';
import { startTestApiServer, stopTestApiServer, testClusterName } from '../testing/inProcess';

let server: RunningApiServer;
let base: string;
const cluster = testClusterName('tables');

/** kubectl get's Accept (kubectl-wire P8). */
const tableAccept =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const NS = '/api/v1/namespaces/tbl';

beforeAll(async () => {
  server = await startTestApiServer(cluster);
  base = server.url;
  await call('POST', '/api/v1/namespaces', { body: { metadata: { name: 'tbl' } } });
  for (const name of ['web-b', 'web-a', 'web-c'])
    await call('POST', `${NS}/pods`, {
      body: {
        metadata: { name, labels: { app: 'web', name } },
        spec: { containers: [{ name: 'c', image: 'nginx' }] },
      },
    });
});

afterAll(() => stopTestApiServer(server));

interface Res {
  code: number;
  text: string;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  contentType: string;
}

async function call(
  method: string,
  path: string,
  opts: { body?: unknown; accept?: string } = {},
): Promise<Res> {
  const contentType = method === 'PATCH' ? 'application/merge-patch+json' : 'application/json';
  const headers: Record<string, string> = { 'Content-Type': contentType };
  if (opts.accept !== undefined) headers['Accept'] = opts.accept;
  const init: RequestInit = { method, headers };
  if (opts.body !== undefined) init.body = JSON.stringify(opts.body);
  const r = await fetch(base + path, init);
  const text = await r.text();
  let body: unknown = undefined;
  try {
    body = JSON.parse(text);
  } catch {
    /* YAML or text */
  }
  return { code: r.status, text, body, contentType: r.headers.get('content-type') ?? '' };
}

describe('kubectl get (Accept: Table)', () => {
  it('lists pods as a Table with the pod columns and PartialObjectMetadata rows', async () => {
    const r = await call('GET', `${NS}/pods?limit=500`, { accept: tableAccept });
    expect(r.code).toBe(200);
    expect(r.contentType).toMatch(/^application\/json/);
    expect(r.body.kind).toBe('Table');
    expect(r.body.apiVersion).toBe('meta.k8s.io/v1');
    expect(r.body.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(r.body.columnDefinitions.map((c: { name: string }) => c.name)).toEqual([
      'Name',
      'Ready',
      'Status',
      'Restarts',
      'Age',
      'IP',
      'Node',
      'Nominated Node',
      'Readiness Gates',
    ]);
    expect(r.body.rows.map((row: { cells: unknown[] }) => row.cells.slice(0, 4))).toEqual([
      ['web-a', '0/1', 'Pending', '0'],
      ['web-b', '0/1', 'Pending', '0'],
      ['web-c', '0/1', 'Pending', '0'],
    ]);
    expect(r.body.rows[0].object).toMatchObject({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { name: 'web-a', namespace: 'tbl', labels: { app: 'web', name: 'web-a' } },
    });
  });

  it('gets one object as a one-row Table', async () => {
    const r = await call('GET', `${NS}/pods/web-a`, { accept: tableAccept });
    expect(r.body.kind).toBe('Table');
    expect(r.body.rows).toHaveLength(1);
    expect(r.body.rows[0].cells[0]).toBe('web-a');
  });

  it('pages Tables with limit and continue', async () => {
    const first = await call('GET', `${NS}/pods?limit=2`, { accept: tableAccept });
    expect(first.body.rows).toHaveLength(2);
    expect(first.body.metadata.continue).toBeTruthy();
    const next = await call(
      'GET',
      `${NS}/pods?limit=2&continue=${encodeURIComponent(first.body.metadata.continue)}`,
      { accept: tableAccept },
    );
    expect(next.body.rows.map((row: { cells: string[] }) => row.cells[0])).toEqual(['web-c']);
    expect(next.body.metadata.continue).toBeUndefined();
  });

  it('includes the full object for --sort-by, and nothing with includeObject=None', async () => {
    const full = await call('GET', `${NS}/pods?includeObject=Object`, { accept: tableAccept });
    expect(full.body.rows[0].object).toMatchObject({
      kind: 'Pod',
      apiVersion: 'v1',
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    });
    const none = await call('GET', `${NS}/pods?includeObject=None`, { accept: tableAccept });
    expect(none.body.rows[0].object).toBeUndefined();
    const bad = await call('GET', `${NS}/pods?includeObject=Some`, { accept: tableAccept });
    expect(bad.code).toBe(400);
  });

  it('answers the v1beta1 Table when that is what is asked for', async () => {
    const r = await call('GET', `${NS}/pods`, {
      accept: 'application/json;as=Table;v=v1beta1;g=meta.k8s.io',
    });
    expect(r.body.apiVersion).toBe('meta.k8s.io/v1beta1');
    expect(r.body.rows[0].object.apiVersion).toBe('meta.k8s.io/v1beta1');
  });

  it('renders the Table of a subresource: scale', async () => {
    await call('POST', '/apis/apps/v1/namespaces/tbl/deployments', {
      body: {
        metadata: { name: 'd' },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'd' } },
          template: {
            metadata: { labels: { app: 'd' } },
            spec: { containers: [{ name: 'c', image: 'nginx' }] },
          },
        },
      },
    });
    const r = await call('GET', '/apis/apps/v1/namespaces/tbl/deployments/d/scale', {
      accept: tableAccept,
    });
    expect(r.body.rows[0].cells).toEqual(['d', 2, 0]);
    const list = await call('GET', '/apis/apps/v1/namespaces/tbl/deployments', {
      accept: tableAccept,
    });
    expect(list.body.rows[0].cells.slice(0, 4)).toEqual(['d', '0/2', 0, 0]);
  });

  it('keeps errors as Status objects', async () => {
    const r = await call('GET', `${NS}/pods/missing`, { accept: tableAccept });
    expect(r.code).toBe(404);
    expect(r.body).toMatchObject({ kind: 'Status', reason: 'NotFound' });
  });
});

describe('other media types', () => {
  it('answers JSON to protobuf-first typed clients and to */*', async () => {
    for (const accept of ['application/vnd.kubernetes.protobuf, application/json', '*/*', '']) {
      const r = await call('GET', `${NS}/pods/web-a`, { accept });
      expect(r.code).toBe(200);
      expect(r.body.kind).toBe('Pod');
    }
  });

  it('refuses with 406 what it cannot write, before doing anything', async () => {
    const r = await call('GET', `${NS}/pods`, {
      accept: 'application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io',
    });
    expect(r.code).toBe(406);
    expect(r.body).toMatchObject({
      kind: 'Status',
      reason: 'NotAcceptable',
      message: 'only the following media types are accepted: application/json, application/yaml',
    });
    const create = await call('POST', `${NS}/configmaps`, {
      accept: 'application/vnd.kubernetes.protobuf',
      body: { metadata: { name: 'never' } },
    });
    expect(create.code).toBe(406);
    expect((await call('GET', `${NS}/configmaps/never`)).code).toBe(404);
  });

  it('writes YAML with sorted keys', async () => {
    const r = await call('GET', `${NS}/pods/web-a`, { accept: 'application/yaml' });
    expect(r.code).toBe(200);
    expect(r.contentType).toMatch(/^application\/yaml/);
    expect(r.text).toMatch(/^apiVersion: v1\nkind: Pod\nmetadata:\n/);
    expect(r.text).toMatch(/creationTimestamp: "\d{4}-/);
  });

  it('indents JSON with ?pretty=true or an Accept pretty=1', async () => {
    const plain = await call('GET', `${NS}/pods/web-a`);
    expect(plain.text).not.toContain('\n');
    const q = await call('GET', `${NS}/pods/web-a?pretty=true`);
    expect(q.text).toMatch(/^\{\n {2}"metadata": \{\n {4}"name": "web-a",/);
    const accept = await call('GET', `${NS}/pods/web-a`, { accept: 'application/json;pretty=1' });
    expect(accept.text).toBe(q.text);
  });

  it('serves metadata-only clients', async () => {
    const list = await call('GET', `${NS}/pods`, {
      accept: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json',
    });
    expect(list.body.kind).toBe('PartialObjectMetadataList');
    expect(list.body.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual([
      'web-a',
      'web-b',
      'web-c',
    ]);
    const one = await call('GET', `${NS}/pods/web-a`, {
      accept: 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1',
    });
    expect(one.body).toEqual({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: expect.objectContaining({ name: 'web-a' }),
    });
  });
});

describe('kubectl get -w (a Table watch)', () => {
  /** Reads watch events until `count` arrived, running `during` meanwhile. */
  const watchEvents = (path: string, count: number, during: () => Promise<void>) =>
    readWatch(base + path, { count, during, headers: { Accept: tableAccept } });

  it('streams one-row Tables, with column definitions only in the first event', async () => {
    const list = await call('GET', `${NS}/pods`, { accept: tableAccept });
    const rv = list.body.metadata.resourceVersion;
    const events = await watchEvents(`${NS}/pods?watch=true&resourceVersion=${rv}`, 3, async () => {
      await call('PATCH', `${NS}/pods/web-a`, { body: { metadata: { labels: { seen: 'yes' } } } });
      await call('DELETE', `${NS}/pods/web-b`);
      await call('DELETE', `${NS}/pods/web-c`);
    });
    expect(events.map((e) => [e.type, e.object.kind, e.object.rows[0].cells[0]])).toEqual([
      ['MODIFIED', 'Table', 'web-a'],
      ['DELETED', 'Table', 'web-b'],
      ['DELETED', 'Table', 'web-c'],
    ]);
    expect(events[0]?.object.columnDefinitions).toHaveLength(9);
    expect(events[1]?.object.columnDefinitions).toBeNull();
    expect(events[0]?.object.rows[0].object.metadata.labels).toMatchObject({ seen: 'yes' });
  });
});
