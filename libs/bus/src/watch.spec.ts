/**
 * openWatch against a scripted replica on the real NATS server: events in seq order, END, gap
 * and silence detection, keepalives, cancel on stop. (The api-server's real watches are tested
 * in apps/api-server and apps/e2e.)
 */
import { randomUUID } from 'node:crypto';
import type { NatsConnection, Subscription } from 'nats';
import { connect } from 'nats';
import { isStatusError } from '@kubeling/api';
import { chunkHeaders } from './chunking';
import { decode, encode } from './codec';
import type { WatchEventMessage, WatchMessage, WatchRequestMessage } from './messages';
import { serve } from './serve';
import type { Service } from './serve';
import { apiSubjects } from './subjects';
import { openWatch } from './watch';

const natsUrl = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
const cluster = `bus-${randomUUID().slice(0, 8)}`;
const subjects = apiSubjects(cluster);
let server: NatsConnection;
let client: NatsConnection;

/** A scripted replica: acks every watch, then lets the test publish to the inbox. */
interface Fake {
  inboxes: string[];
  keepalives: unknown[];
  cancels: unknown[];
  services: Service[];
  subs: Subscription[];
}
let fake: Fake;

beforeAll(async () => {
  server = await connect({ servers: natsUrl });
  client = await connect({ servers: natsUrl });
});

afterAll(async () => {
  await client.close();
  await server.close();
});

async function startFake(bookmarkIntervalMs: number, expiryMs = 30_000): Promise<Fake> {
  const f: Fake = { inboxes: [], keepalives: [], cancels: [], services: [], subs: [] };
  f.services.push(
    await serve(server, subjects.watch, 'api-server', (msg) => {
      f.inboxes.push((msg as WatchRequestMessage).inbox);
      return { code: 200, watchId: 'w1', replica: 'fake-1', bookmarkIntervalMs, expiryMs };
    }),
  );
  f.services.push(
    await serve(server, subjects.keepalive('fake-1'), undefined, (msg) => {
      f.keepalives.push(msg);
      return { code: 200, unknown: [] };
    }),
  );
  f.subs.push(
    server.subscribe(subjects.cancel('fake-1'), {
      callback: (_e, m) => f.cancels.push(decode(m.data)),
    }),
  );
  await server.flush();
  return f;
}

async function stopFake(f: Fake): Promise<void> {
  for (const s of f.services) await s.drain();
  for (const s of f.subs) s.unsubscribe();
}

afterEach(async () => {
  if (fake) await stopFake(fake);
});

const send = (m: WatchMessage) => server.publish(fake.inboxes[0]!, encode(m));
const ev = (seq: number, type: WatchEventMessage['type'] = 'ADDED', rv = String(seq)) => ({
  seq,
  type,
  object: { metadata: { name: `o${seq}`, resourceVersion: rv } },
});
const until = async (cond: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

const request = { group: '', version: 'v1', resource: 'pods' };

it('hands events to onEvent in seq order and ends on END', async () => {
  fake = await startFake(5000);
  const seen: WatchEventMessage[] = [];
  const w = await openWatch(client, { subjects, request, onEvent: (e) => void seen.push(e) });
  expect(w).toMatchObject({ watchId: 'w1', replica: 'fake-1', bookmarkIntervalMs: 5000 });
  send(ev(1));
  send(ev(2, 'MODIFIED'));
  // A chunked event is reassembled.
  const big = encode(ev(3, 'BOOKMARK'));
  server.publish(fake.inboxes[0]!, big.subarray(0, 10), { headers: chunkHeaders(1, 2) });
  server.publish(fake.inboxes[0]!, big.subarray(10), { headers: chunkHeaders(2, 2) });
  send({ seq: 4, type: 'END', reason: 'timeout' });
  const end = await w.done;
  expect(end).toEqual({ reason: 'end', serverReason: 'timeout', lastSeq: 3 });
  expect(seen.map((e) => [e.seq, e.type])).toEqual([
    [1, 'ADDED'],
    [2, 'MODIFIED'],
    [3, 'BOOKMARK'],
  ]);
  expect(fake.cancels).toEqual([]); // the replica ended it; nothing to cancel
});

it('ends with "gap" when a seq is skipped, after the events before it, and cancels', async () => {
  fake = await startFake(5000);
  const seen: number[] = [];
  const w = await openWatch(client, { subjects, request, onEvent: (e) => void seen.push(e.seq) });
  send(ev(1));
  send(ev(3));
  send(ev(4));
  expect(await w.done).toMatchObject({ reason: 'gap', lastSeq: 1 });
  expect(seen).toEqual([1]);
  await until(() => fake.cancels.length === 1);
  expect(fake.cancels[0]).toEqual({ v: 1, watchId: 'w1' });
});

it('ends with "stale" after 3 bookmark intervals of silence', async () => {
  fake = await startFake(100);
  const started = Date.now();
  const w = await openWatch(client, { subjects, request, onEvent: () => undefined });
  send(ev(1, 'BOOKMARK'));
  expect((await w.done).reason).toBe('stale');
  expect(Date.now() - started).toBeGreaterThanOrEqual(300);
});

it('sends keepalives, and ends with "replica-gone" once nobody serves the replica', async () => {
  fake = await startFake(10_000, 300);
  const w = await openWatch(client, {
    subjects,
    request,
    onEvent: () => undefined,
  });
  await until(() => fake.keepalives.length >= 2);
  expect(fake.keepalives[0]).toEqual({ v: 1, watchIds: ['w1'] });
  await stopFake(fake); // the replica "dies": its subjects have no responders now
  expect((await w.done).reason).toBe('replica-gone');
});

it('ends with "replica-gone" when the replica no longer knows the watch', async () => {
  fake = await startFake(10_000, 300);
  await fake.services[1]!.drain();
  fake.services.push(
    await serve(server, subjects.keepalive('fake-1'), undefined, () => ({
      code: 200,
      unknown: ['w1'],
    })),
  );
  const w = await openWatch(client, { subjects, request, onEvent: () => undefined });
  expect((await w.done).reason).toBe('replica-gone');
});

it('stop() cancels the watch on the replica and delivers nothing more', async () => {
  fake = await startFake(5000);
  const seen: number[] = [];
  const w = await openWatch(client, { subjects, request, onEvent: (e) => void seen.push(e.seq) });
  send(ev(1));
  await until(() => seen.length === 1);
  w.stop();
  send(ev(2));
  expect((await w.done).reason).toBe('stopped');
  await until(() => fake.cancels.length === 1);
  expect(seen).toEqual([1]);
});

it('ends with "handler-error" when onEvent throws', async () => {
  fake = await startFake(5000);
  const w = await openWatch(client, {
    subjects,
    request,
    onEvent: () => {
      throw new Error('bad handler');
    },
  });
  send(ev(1));
  const end = await w.done;
  expect(end.reason).toBe('handler-error');
  expect(String(end.error)).toBe('Error: bad handler');
});

it('rejects with the StatusError of a refused watch', async () => {
  fake = await startFake(5000);
  await fake.services[0]!.drain();
  let err: unknown;
  try {
    await openWatch(client, {
      subjects,
      request,
      onEvent: () => undefined,
      requestTimeoutMs: 1000,
    });
  } catch (e) {
    err = e;
  }
  expect(isStatusError(err) && err.code).toBe(503);
});
