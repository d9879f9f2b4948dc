/**
 * The watch table with a fake connection and a fake Api: acknowledgement timing, holding
 * events until the acknowledgement is out, seq numbering, failures, expiry, shutdown.
 */
import type { NatsConnection } from 'nats';
import { notFound } from '@kubeling/api';
import type { WatchMessage, WatchRequestMessage } from '@kubeling/bus';
import { decode } from '@kubeling/bus';
import { createLogger } from '../log';
import type { Api } from '../registry/api';
import type { ActiveWatch, WatchSink } from '../registry/watch';
import { WatchTable } from './watches';

interface Published {
  subject: string;
  msg: WatchMessage;
}

const tables: WatchTable[] = [];
afterEach(() => tables.splice(0).forEach((t) => t.endAll()));

function setup() {
  const published: Published[] = [];
  const nc = {
    info: { max_payload: 1024 * 1024 },
    publish: (subject: string, data: Uint8Array) =>
      published.push({ subject, msg: decode(data) as WatchMessage }),
  } as unknown as NatsConnection;
  let sink: WatchSink | undefined;
  let finish: ((w: ActiveWatch) => void) | undefined;
  let fail: ((e: unknown) => void) | undefined;
  const stopped: number[] = [];
  const api = {
    watch: (_req: unknown, s: WatchSink) => {
      sink = s;
      return new Promise<ActiveWatch>((resolve, reject) => {
        finish = resolve;
        fail = reject;
      });
    },
  } as unknown as Api;
  let now = 1000;
  const table = new WatchTable({
    nc,
    api,
    replica: 'r1',
    bookmarkIntervalMs: 100,
    expiryMs: 5000,
    log: createLogger('test', 'error'),
    now: () => now,
  });
  tables.push(table);
  const after: Array<() => void> = [];
  const req: WatchRequestMessage = {
    v: 1,
    group: '',
    version: 'v1',
    resource: 'pods',
    inbox: '_INBOX.w',
  };
  return {
    published,
    table,
    after,
    start: () => table.start(req, (fn) => after.push(fn)),
    sink: () => sink!,
    finish: () => finish!({ stop: () => stopped.push(1) }),
    fail: (e: unknown) => fail!(e),
    stopped,
    advance: (ms: number) => (now += ms),
  };
}

const ev = (name: string) => ({ type: 'ADDED' as const, object: { metadata: { name } } });

it('acknowledges once the watch started, before its catch-up ends, and holds events until the ack is out', async () => {
  const t = setup();
  const acked = t.start();
  void t.sink().send(ev('a')); // an initial event, before started()
  t.sink().started!();
  const ack = await acked; // api.watch has not resolved: the catch-up still runs
  expect(ack).toMatchObject({ code: 200, replica: 'r1', bookmarkIntervalMs: 100, expiryMs: 5000 });
  void t.sink().send(ev('b'));
  expect(t.published).toEqual([]); // the ack is not published yet
  t.after.forEach((fn) => fn());
  void t.sink().send(ev('c'));
  t.finish();
  expect(t.published.map((p) => [p.subject, p.msg.seq, p.msg.type])).toEqual([
    ['_INBOX.w', 1, 'ADDED'],
    ['_INBOX.w', 2, 'ADDED'],
    ['_INBOX.w', 3, 'ADDED'],
  ]);
  expect(t.table.size).toBe(1);
  t.table.endAll();
});

it('rejects (an error reply, nothing on the inbox) when the watch fails before it starts', async () => {
  const t = setup();
  const acked = t.start();
  t.fail(notFound({ group: '', resource: 'pods' }, 'x'));
  await expect(acked).rejects.toThrow('pods "x" not found');
  expect(t.published).toEqual([]);
  expect(t.table.size).toBe(0);
});

it('turns a failure after the ack into an ERROR event and END error', async () => {
  const t = setup();
  const acked = t.start();
  t.sink().started!();
  await acked;
  t.after.forEach((fn) => fn());
  t.fail(new Error('redis went away'));
  await new Promise((r) => setImmediate(r));
  expect(t.published.map((p) => p.msg)).toEqual([
    {
      seq: 1,
      type: 'ERROR',
      object: expect.objectContaining({
        code: 500,
        message: 'Internal error occurred: redis went away',
      }),
    },
    { seq: 2, type: 'END', reason: 'error' },
  ]);
  expect(t.table.size).toBe(0);
});

it('ends watches not kept alive for expiryMs, answers keepalives, ends the rest on shutdown', async () => {
  const t = setup();
  const first = t.start();
  t.sink().started!();
  const a = await first;
  t.after.splice(0).forEach((fn) => fn());
  t.finish();
  const second = t.start();
  t.sink().started!();
  const b = await second;
  t.after.splice(0).forEach((fn) => fn());
  t.finish();

  t.advance(4000);
  expect(t.table.keepalive([b.watchId, 'nope'])).toEqual(['nope']);
  t.advance(2000); // a: 6 s without keepalive; b: 2 s
  t.table.sweep();
  expect(t.published.map((p) => p.msg)).toEqual([{ seq: 1, type: 'END', reason: 'expired' }]);
  expect(t.table.keepalive([a.watchId])).toEqual([a.watchId]);
  expect(t.stopped).toHaveLength(1);

  t.table.endAll();
  expect(t.published.map((p) => p.msg).at(-1)).toEqual({ seq: 1, type: 'END', reason: 'shutdown' });
  await new Promise((r) => setImmediate(r)); // the store watch stops once api.watch has resolved
  expect(t.stopped).toHaveLength(2);
  expect(t.table.size).toBe(0);
});
