/**
 * request/serve against the real NATS server ($NATS_URL): chunking both ways, Status errors,
 * timeouts, no responders, draining. Subjects are unique per run, so parallel runs never meet.
 */
import { randomUUID } from 'node:crypto';
import type { NatsConnection } from 'nats';
import { connect } from 'nats';
import type { StatusError } from '@kubeling/api';
import { isStatusError, notFound } from '@kubeling/api';
import { maxPayloadOf } from './chunking';
import { encode } from './codec';
import { request, requestFailureOf, requestRaw } from './request';
import type { Service } from './serve';
import { serve } from './serve';

const natsUrl = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
const base = `test.bus.${randomUUID().slice(0, 8)}`;
let server: NatsConnection;
let client: NatsConnection;
const services: Service[] = [];

beforeAll(async () => {
  server = await connect({ servers: natsUrl });
  client = await connect({ servers: natsUrl });
});

afterAll(async () => {
  for (const s of services) await s.drain();
  await client.close();
  await server.close();
});

async function rejection(p: Promise<unknown>): Promise<StatusError> {
  try {
    await p;
  } catch (e) {
    if (isStatusError(e)) return e;
    throw e;
  }
  throw new Error('did not reject');
}

const bigString = (bytes: number) => 'x'.repeat(bytes);

describe('request and serve', () => {
  const echo = `${base}.echo`;
  const errors: unknown[] = [];

  beforeAll(async () => {
    services.push(
      await serve(
        server,
        echo,
        'q',
        (msg) => {
          const m = msg as { op: string; size?: number; data?: string };
          switch (m.op) {
            case 'echo':
              return { code: 200, body: m };
            case 'size':
              return { code: 200, body: bigString(m.size ?? 0) };
            case 'length':
              return { code: 200, body: m.data?.length };
            case 'notfound':
              throw notFound({ group: '', resource: 'pods' }, 'web');
            default:
              throw new Error('boom');
          }
        },
        { onError: (e) => errors.push(e) },
      ),
    );
  });

  it('answers a request', async () => {
    const r = await request(client, echo, { op: 'echo', x: 1 });
    expect(r).toEqual({ code: 200, body: { op: 'echo', x: 1 } });
  });

  it('sends a 3 MiB reply in parts and the client reassembles it', async () => {
    const size = 3 * 1024 * 1024;
    expect(maxPayloadOf(server)).toBeLessThan(size); // otherwise this would not test chunking
    const r = await request<{ body: string }>(client, echo, { op: 'size', size });
    expect(r.body.length).toBe(size);
    expect(r.body).toBe(bigString(size));
  });

  it('uploads a request larger than the max payload in parts to one member', async () => {
    const data = bigString(Math.floor(2.5 * 1024 * 1024));
    const r = await request<{ body: number }>(client, echo, { op: 'length', data });
    expect(r.body).toBe(data.length);
  });

  it('refuses requests above 3 MiB with 413, as the REST API does', async () => {
    const e = await rejection(
      request(client, echo, { op: 'length', data: bigString(4 * 1024 * 1024) }),
    );
    expect(e.code).toBe(413);
    expect(e.reason).toBe('RequestEntityTooLarge');
    expect(e.message).toBe('Request entity too large: limit is 3145728');
  });

  it('chunks with any max payload (many small parts)', async () => {
    const small = `${base}.small`;
    services.push(
      await serve(server, small, undefined, (m) => ({ code: 200, body: m }), { maxPayload: 600 }),
    );
    const payload = { op: 'echo', data: bigString(10_000) };
    const r = await request(client, small, payload, { maxPayload: 600 });
    expect(r).toEqual({ code: 200, body: payload });
  });

  it('throws a Status reply as a StatusError', async () => {
    const e = await rejection(request(client, echo, { op: 'notfound' }));
    expect(e.code).toBe(404);
    expect(e.status).toMatchObject({ reason: 'NotFound', message: 'pods "web" not found' });
  });

  it('turns a handler crash into a 500 Status and reports it', async () => {
    const e = await rejection(request(client, echo, { op: 'crash' }));
    expect(e.code).toBe(500);
    expect(e.message).toBe('Internal error occurred: boom');
    expect(errors.map(String)).toContain('Error: boom');
  });

  it('answers undecodable requests with 400', async () => {
    const raw = await requestRaw(client, echo, new TextEncoder().encode('{'));
    expect(JSON.parse(new TextDecoder().decode(raw))).toMatchObject({
      code: 400,
      body: { kind: 'Status', reason: 'BadRequest' },
    });
  });

  it('ignores plain publishes (no reply subject) without failing', async () => {
    client.publish(echo, encode({ op: 'crash' }));
    await client.flush();
    expect((await request(client, echo, { op: 'echo' })).code).toBe(200);
  });
});

describe('failures', () => {
  it('gives 503 when nobody serves the subject', async () => {
    const e = await rejection(request(client, `${base}.nobody`, {}, { timeoutMs: 2000 }));
    expect(e.code).toBe(503);
    expect(e.message).toMatch(/no responders/);
    expect(requestFailureOf(e)).toBe('no-responders');
  });

  it('gives 504 when the responder stays silent', async () => {
    const silent = `${base}.silent`;
    const sub = server.subscribe(silent, { callback: () => undefined });
    await server.flush();
    const started = Date.now();
    const e = await rejection(request(client, silent, {}, { timeoutMs: 300 }));
    expect(e.code).toBe(504);
    expect(e.reason).toBe('Timeout');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(requestFailureOf(e)).toBe('timeout');
    sub.unsubscribe();
  });

  it('gives 504 when a chunked reply never completes', async () => {
    const partial = `${base}.partial`;
    const { chunkHeaders } = await import('./chunking');
    const sub = server.subscribe(partial, {
      callback: (_e, m) => server.publish(m.reply!, encode('x'), { headers: chunkHeaders(1, 2) }),
    });
    await server.flush();
    const e = await rejection(request(client, partial, {}, { timeoutMs: 300 }));
    expect(e.code).toBe(504);
    sub.unsubscribe();
  });

  it('declares a request lost when its replica neither replies nor sends heartbeats', async () => {
    // A subscriber that takes the request and never answers: a replica killed -9 after NATS
    // routed the request to it.
    const dead = `${base}.dead`;
    const sub = server.subscribe(dead, { queue: 'q', callback: () => undefined });
    await server.flush();
    const started = Date.now();
    const e = await rejection(request(client, dead, {}, { timeoutMs: 10_000, heartbeatMs: 100 }));
    const took = Date.now() - started;
    expect(e.code).toBe(504);
    expect(requestFailureOf(e)).toBe('lost');
    expect(e.message).toMatch(/no heartbeat for 300ms/);
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(2000);
    sub.unsubscribe();
  });

  it('keeps a slow request alive with heartbeats, far beyond the silence limit', async () => {
    const slow = `${base}.heartbeats`;
    const svc = await serve(server, slow, 'q', async () => {
      await new Promise((r) => setTimeout(r, 700));
      return { code: 200, body: 'slow but alive' };
    });
    const seen: number[] = [];
    const spy = client.subscribe('_INBOX.>', {
      callback: (_e, m) => {
        if (m.headers?.get('Kubeling-Heartbeat') === '1') seen.push(Date.now());
      },
    });
    const r = await request(client, slow, {}, { timeoutMs: 5000, heartbeatMs: 100 });
    expect(r).toEqual({ code: 200, body: 'slow but alive' });
    expect(seen.length).toBeGreaterThanOrEqual(4);
    spy.unsubscribe();
    await svc.drain();
  });

  it('sends no heartbeat to a request that did not ask for one, nor to a fast one', async () => {
    const subject = `${base}.quiet`;
    let delay = 300;
    const svc = await serve(server, subject, 'q', async () => {
      await new Promise((r) => setTimeout(r, delay));
      return { code: 200, body: 'ok' };
    });
    let beats = 0;
    const spy = client.subscribe('_INBOX.>', {
      callback: (_e, m) => void (m.headers?.has('Kubeling-Heartbeat') && beats++),
    });
    await request(client, subject, {}, { timeoutMs: 5000 });
    delay = 0;
    await request(client, subject, {}, { timeoutMs: 5000, heartbeatMs: 200 });
    expect(beats).toBe(0);
    spy.unsubscribe();
    await svc.drain();
  });

  it('ends at once when its signal aborts, with the reason given', async () => {
    const silent = `${base}.abort`;
    const sub = server.subscribe(silent, { callback: () => undefined });
    await server.flush();
    const ac = new AbortController();
    const p = request(client, silent, {}, { timeoutMs: 10_000, signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    const started = Date.now();
    const e = await rejection(p);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(e.code).toBe(504);
    expect(requestFailureOf(e)).toBe('aborted');
    const already = await rejection(
      request(
        client,
        silent,
        {},
        { signal: AbortSignal.abort(notFound({ group: '', resource: 'x' }, 'y')) },
      ),
    );
    expect(already.code).toBe(404);
    sub.unsubscribe();
  });

  it('gives 503 at once on a closed connection', async () => {
    const nc = await connect({ servers: natsUrl });
    await nc.close();
    expect((await rejection(request(nc, `${base}.x`, {}))).code).toBe(503);
  });
});

describe('drain', () => {
  it('finishes requests in flight, then stops taking new ones', async () => {
    const subject = `${base}.slow`;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const svc = await serve(server, subject, 'q', async () => {
      await gate;
      return { code: 200, body: 'late' };
    });
    expect(svc.isLive()).toBe(true);
    const inFlight = request(client, subject, {}, { timeoutMs: 5000 });
    while (svc.inFlight() === 0) await new Promise((r) => setTimeout(r, 5));
    const drained = svc.drain();
    expect(svc.isLive()).toBe(false);
    release();
    await drained;
    expect(await inFlight).toEqual({ code: 200, body: 'late' });
    expect((await rejection(request(client, subject, {}, { timeoutMs: 1000 }))).code).toBe(503);
  });
});
