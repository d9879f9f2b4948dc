/** HttpTransport against a scripted local HTTP server: paths, media types, errors, watch framing. */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { conflict, hasReason, isStatusError, notFound } from '@kubeling/api';
import { Client } from '../client';
import { HttpTransport, parseRetryAfter, parseWarnings, restPath } from './http';
import { transportFailureOf } from './status';

interface Seen {
  method: string;
  url: string;
  contentType: string | undefined;
  body: string;
}

let server: http.Server;
let base: string;
const seen: Seen[] = [];
let respond: (req: http.IncomingMessage, res: http.ServerResponse) => void;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        contentType: req.headers['content-type'],
        body,
      });
      respond(req, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

beforeEach(() => {
  seen.length = 0;
  respond = (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
});

describe('restPath', () => {
  it('builds the api-server paths', () => {
    expect(
      restPath({
        group: '',
        version: 'v1',
        resource: 'pods',
        namespace: 'd',
        name: 'p',
        subresource: 'status',
      }),
    ).toBe('/api/v1/namespaces/d/pods/p/status');
    expect(restPath({ group: 'apps', version: 'v1', resource: 'deployments' })).toBe(
      '/apis/apps/v1/deployments',
    );
    expect(
      restPath({
        group: '',
        version: 'v1',
        resource: 'namespaces',
        name: 'x',
        subresource: 'finalize',
      }),
    ).toBe('/api/v1/namespaces/x/finalize');
    expect(
      restPath({
        group: 'coordination.k8s.io',
        version: 'v1',
        resource: 'leases',
        namespace: 'kube-system',
        name: 'a b',
      }),
    ).toBe('/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/a%20b');
  });
});

describe('HttpTransport', () => {
  it('maps verbs to methods, queries, bodies and patch media types', async () => {
    const t = new HttpTransport({ server: base + '/' });
    const addr = { group: '', version: 'v1', resource: 'configmaps', namespace: 'd' };
    await t.request({ verb: 'list', ...addr, query: { labelSelector: 'a=b', limit: '5' } });
    await t.request({ verb: 'create', ...addr, body: { metadata: { name: 'x' } } });
    await t.request({ verb: 'update', ...addr, name: 'x', body: {} });
    await t.request({ verb: 'patch', ...addr, name: 'x', patchType: 'merge', body: {} });
    await t.request({ verb: 'patch', ...addr, name: 'x', patchType: 'json', body: [] });
    await t.request({ verb: 'delete', ...addr, name: 'x' });
    await t.request({ verb: 'deletecollection', ...addr });
    expect(seen.map((s) => `${s.method} ${s.url} ${s.contentType ?? '-'}`)).toEqual([
      'GET /api/v1/namespaces/d/configmaps?labelSelector=a%3Db&limit=5 -',
      'POST /api/v1/namespaces/d/configmaps application/json',
      'PUT /api/v1/namespaces/d/configmaps/x application/json',
      'PATCH /api/v1/namespaces/d/configmaps/x application/merge-patch+json',
      'PATCH /api/v1/namespaces/d/configmaps/x application/json-patch+json',
      'DELETE /api/v1/namespaces/d/configmaps/x -',
      'DELETE /api/v1/namespaces/d/configmaps -',
    ]);
    expect(seen[1]?.body).toBe('{"metadata":{"name":"x"}}');
  });

  it('returns warnings and throws Status bodies as StatusErrors', async () => {
    const t = new HttpTransport({ server: base });
    respond = (_req, res) =>
      res
        .writeHead(201, {
          'content-type': 'application/json',
          warning: '299 - "unknown field \\"x\\""',
        })
        .end('{"ok":1}');
    expect(
      await t.request({
        verb: 'create',
        group: '',
        version: 'v1',
        resource: 'pods',
        namespace: 'd',
        body: {},
      }),
    ).toEqual({
      code: 201,
      body: { ok: 1 },
      warnings: ['unknown field "x"'],
    });
    respond = (_req, res) =>
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify(notFound({ group: '', resource: 'pods' }, 'p').status));
    const e = await t
      .request({
        verb: 'get',
        group: '',
        version: 'v1',
        resource: 'pods',
        namespace: 'd',
        name: 'p',
      })
      .catch((x: unknown) => x);
    expect(hasReason(e, 'NotFound')).toBe(true);
    expect((e as Error).message).toBe('pods "p" not found');
    respond = (_req, res) => res.writeHead(502).end('bad gateway');
    const e2 = await t
      .request({ verb: 'get', group: '', version: 'v1', resource: 'pods', name: 'p' })
      .catch((x: unknown) => x);
    expect(isStatusError(e2) && e2.status).toMatchObject({ code: 502, reason: 'InternalError' });
  });

  it('turns an unreachable server into 503 and a silent one into 504', async () => {
    const down = new HttpTransport({ server: 'http://127.0.0.1:1' });
    const e = await down
      .request({ verb: 'list', group: '', version: 'v1', resource: 'pods' })
      .catch((x: unknown) => x);
    expect(isStatusError(e) && e.status.reason).toBe('ServiceUnavailable');
    respond = () => undefined; // never answers
    const slow = new HttpTransport({ server: base, timeoutMs: 100 });
    const e2 = await slow
      .request({ verb: 'list', group: '', version: 'v1', resource: 'pods' })
      .catch((x: unknown) => x);
    expect(isStatusError(e2) && e2.status.reason).toBe('Timeout');
  });

  it('classifies failures: refused is not-delivered, a broken connection lost', async () => {
    const list = { verb: 'list', group: '', version: 'v1', resource: 'pods' } as const;
    // A port nobody listens on any more.
    const gone = http.createServer();
    await new Promise<void>((r) => gone.listen(0, '127.0.0.1', r));
    const port = (gone.address() as AddressInfo).port;
    await new Promise((r) => gone.close(r));
    const refused = await new HttpTransport({ server: `http://127.0.0.1:${port}` })
      .request(list)
      .catch((x: unknown) => x);
    expect(transportFailureOf(refused)).toBe('not-delivered');
    respond = (req) => req.socket.destroy(); // the server dies under the request
    const reset = await new HttpTransport({ server: base }).request(list).catch((x: unknown) => x);
    expect(isStatusError(reset) && reset.code).toBe(503);
    expect(transportFailureOf(reset)).toBe('lost');
  });

  it('honours the attempt time limit and signal, the caller reason winning', async () => {
    respond = () => undefined;
    const t = new HttpTransport({ server: base });
    const list = { verb: 'list', group: '', version: 'v1', resource: 'pods' } as const;
    const started = Date.now();
    const e = await t.request(list, { timeoutMs: 100 }).catch((x: unknown) => x);
    expect(isStatusError(e) && e.code).toBe(504);
    expect(Date.now() - started).toBeLessThan(2000);
    const reason = conflict({ group: '', resource: 'pods' }, 'p', 'mine');
    const e2 = await t
      .request(list, { signal: AbortSignal.abort(reason) })
      .catch((x: unknown) => x);
    expect(e2).toBe(reason);
    const e3 = await t.watch(list, { timeoutMs: 100 }).catch((x: unknown) => x);
    expect(isStatusError(e3) && e3.code).toBe(504);
  });

  it('carries Retry-After into the Status, and the Client waits it out', async () => {
    let calls = 0;
    respond = (_req, res) => {
      if (calls++ === 0) {
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' }).end(
          JSON.stringify({
            kind: 'Status',
            apiVersion: 'v1',
            code: 429,
            reason: 'TooManyRequests',
            status: 'Failure',
            metadata: {},
          }),
        );
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"items":[]}');
    };
    const t = new HttpTransport({ server: base });
    const list = { verb: 'list', group: '', version: 'v1', resource: 'pods' } as const;
    const e = await t.request(list).catch((x: unknown) => x);
    expect(isStatusError(e) && e.status.details).toEqual({ retryAfterSeconds: 1 });
    const client = new Client({ transport: t });
    calls = 0;
    const started = Date.now();
    expect(await client.request(list)).toEqual({ items: [] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
    expect(calls).toBe(2);
    expect([parseRetryAfter('2'), parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT')]).toEqual([
      2,
      undefined,
    ]);
  });

  it('reads a watch as JSON lines, however the chunks split them', async () => {
    respond = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const text =
        JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'a' } } }) +
        '\n' +
        JSON.stringify({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '9' } } }) +
        '\n' +
        JSON.stringify({ type: 'DELETED', object: { metadata: { name: 'a' } } }) +
        '\n';
      // Split mid-line, with pauses, as a chunked response may arrive.
      const parts = [text.slice(0, 10), text.slice(10, 70), text.slice(70)];
      let i = 0;
      const next = () => {
        if (i < parts.length) {
          res.write(parts[i++]);
          setTimeout(next, 10);
        } else res.end();
      };
      next();
    };
    const t = new HttpTransport({ server: base });
    const w = await t.watch({
      group: '',
      version: 'v1',
      resource: 'pods',
      query: { resourceVersion: '5' },
    });
    const types: string[] = [];
    for await (const ev of w) types.push(ev.type);
    expect(types).toEqual(['ADDED', 'BOOKMARK', 'DELETED']);
    expect(seen[0]?.url).toBe('/api/v1/pods?resourceVersion=5&watch=true');
  });

  it('stop() ends a watch quietly; a refused watch rejects with its Status', async () => {
    respond = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(JSON.stringify({ type: 'ADDED', object: {} }) + '\n');
    };
    const t = new HttpTransport({ server: base });
    const w = await t.watch({ group: '', version: 'v1', resource: 'pods' });
    const got: string[] = [];
    setTimeout(() => w.stop(), 50);
    for await (const ev of w) got.push(ev.type);
    expect(got).toEqual(['ADDED']);

    respond = (_req, res) =>
      res.writeHead(400, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          reason: 'BadRequest',
          code: 400,
          message: 'bad selector',
        }),
      );
    const e = await t
      .watch({ group: '', version: 'v1', resource: 'pods' })
      .catch((x: unknown) => x);
    expect(hasReason(e, 'BadRequest')).toBe(true);
    await t.close();
  });
});

it('parses Warning headers', () => {
  expect(parseWarnings('299 - "a", 299 - "b \\"q\\""')).toEqual(['a', 'b "q"']);
  expect(parseWarnings(null)).toEqual([]);
});
