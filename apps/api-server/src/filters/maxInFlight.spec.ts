/**
 * The in-flight limit through a real api-server (in-process, real Redis and NATS): a full pool
 * answers 429 with Retry-After over HTTP and over NATS alike, the other pool and watches are not
 * affected, the gauge shows the pools, and the client waits the Retry-After out and succeeds.
 */
import type { NatsConnection } from 'nats';
import { connect } from 'nats';
import type { StatusError } from '@kubeling/api';
import { configMapKind, isStatusError } from '@kubeling/api';
import { apiRequest, apiSubjects, openWatch } from '@kubeling/bus';
import { Client, HttpTransport, NatsTransport } from '@kubeling/client';
import { testServices } from '@kubeling/testing';
import type { RunningApiServer } from '../app';
import { startTestApiServer, stopTestApiServer, testClusterName } from '../testing/inProcess';
import { MaxInFlight } from './maxInFlight';

let server: RunningApiServer;
let nc: NatsConnection;
const cluster = testClusterName('inflight');
const held: Array<() => void> = [];

beforeAll(async () => {
  server = await startTestApiServer(cluster, [], {
    maxRequestsInflight: 3,
    maxMutatingRequestsInflight: 2,
  });
  nc = await connect({ servers: testServices().natsUrl });
});

afterEach(() => {
  for (const release of held.splice(0)) release();
});

afterAll(async () => {
  await nc?.close();
  await stopTestApiServer(server);
});

/** Occupies every slot of a pool, as that many slow requests would. */
function fill(verb: 'get' | 'create', n: number): void {
  for (let i = 0; i < n; i++) held.push(server.maxInFlight.acquire(verb));
}

const cms = `/api/v1/namespaces/default/configmaps`;
const tooMany = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'Too many requests, please try again later.',
  reason: 'TooManyRequests',
  details: { retryAfterSeconds: 1 },
  code: 429,
};

async function natsFailure(p: Promise<unknown>): Promise<StatusError> {
  try {
    await p;
  } catch (e) {
    if (isStatusError(e)) return e;
    throw e;
  }
  throw new Error('did not fail');
}

it('a full read-only pool answers 429 with Retry-After over HTTP; writes and watches go on', async () => {
  fill('get', 3);
  const r = await fetch(`${server.url}${cms}`);
  expect(r.status).toBe(429);
  expect(r.headers.get('retry-after')).toBe('1');
  expect(await r.json()).toEqual(tooMany);

  const created = await fetch(`${server.url}${cms}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ metadata: { name: 'http-w' } }),
  });
  expect(created.status).toBe(201);
  // Long-running: exempt.
  const ac = new AbortController();
  const w = await fetch(`${server.url}${cms}?watch=true`, { signal: ac.signal });
  expect(w.status).toBe(200);
  ac.abort();
  // Health and metrics stay reachable on a saturated replica.
  expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  expect(metrics).toMatch(/apiserver_current_inflight_requests\{request_kind="readOnly"\} 3\n/);
  expect(metrics).toMatch(/apiserver_request_total\{[^}]*code="429"[^}]*verb="LIST"[^}]*\} 1\n/);
});

it('a full mutating pool answers 429 over HTTP, reads go on', async () => {
  fill('create', 2);
  const r = await fetch(`${server.url}${cms}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ metadata: { name: 'refused' } }),
  });
  expect(r.status).toBe(429);
  expect(r.headers.get('retry-after')).toBe('1');
  expect(await r.json()).toEqual(tooMany);
  expect((await fetch(`${server.url}${cms}/refused`)).status).toBe(404);
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  expect(metrics).toMatch(/apiserver_current_inflight_requests\{request_kind="mutating"\} 2\n/);
});

it('the same limiter answers 429 over NATS, with details.retryAfterSeconds; watches go on', async () => {
  const subjects = apiSubjects(cluster);
  fill('get', 3);
  const e = await natsFailure(
    apiRequest(nc, subjects, {
      verb: 'get',
      group: '',
      version: 'v1',
      resource: 'configmaps',
      namespace: 'default',
      name: 'http-w',
    }),
  );
  expect(e.status).toEqual(tooMany);
  const w = await openWatch(nc, {
    subjects,
    request: { group: '', version: 'v1', resource: 'configmaps', namespace: 'default' },
    onEvent: () => undefined,
  });
  w.stop();
  // The pool filled above is the one HTTP requests take (the first test): one limiter.
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  expect(metrics).toMatch(/apiserver_request_total\{[^}]*code="429"[^}]*verb="GET"[^}]*\} 1\n/);
});

it.each(['http', 'nats'] as const)(
  'the client (%s) waits out the Retry-After and succeeds once a slot is free',
  async (kind) => {
    const transport =
      kind === 'http'
        ? new HttpTransport({ server: server.url })
        : await NatsTransport.connect({ cluster, natsUrl: testServices().natsUrl });
    const client = new Client({ transport });
    try {
      fill('get', 3);
      const started = Date.now();
      setTimeout(() => held.pop()?.(), 300);
      const cm = await client.resource(configMapKind).namespace('default').get('http-w');
      const took = Date.now() - started;
      expect(cm.metadata.name).toBe('http-w');
      expect(took).toBeGreaterThanOrEqual(1000);
      expect(took).toBeLessThan(3000);
    } finally {
      await client.close();
    }
  },
);

describe('MaxInFlight', () => {
  it('counts per pool, releases once, exempts watches, and 0 means no limit', () => {
    const m = new MaxInFlight({ maxRequestsInflight: 1, maxMutatingRequestsInflight: 0 });
    const r = m.acquire('list');
    expect(() => m.acquire('get')).toThrow('Too many requests, please try again later.');
    m.acquire('watch');
    for (let i = 0; i < 1000; i++) m.acquire('patch');
    expect([m.current('readOnly'), m.current('mutating')]).toEqual([1, 1000]);
    r();
    r();
    expect(m.current('readOnly')).toBe(0);
    expect(() => new MaxInFlight({ maxRequestsInflight: -1 })).toThrow('non-negative');
  });
});
