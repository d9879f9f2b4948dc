/**
 * NatsTransport against a scripted replica on the real NATS server ($NATS_URL), built with
 * libs/bus's serve(): requests and their Status errors, and how watch closes surface (END ends
 * the iteration, a seq gap throws so the informer re-watches), with backpressure.
 */
import type { NatsConnection } from 'nats';
import { connect } from 'nats';
import { hasReason, isStatusError, notFound } from '@kubeling/api';
import type { WatchRequestMessage } from '@kubeling/bus';
import { apiSubjects, encode, serve } from '@kubeling/bus';
import { Client } from '../client';
import { NatsTransport } from './nats';
import { transportFailureOf } from './status';

const natsUrl = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
const cluster = `client-nats-${process.pid}-${Date.now().toString(36)}`;
const subjects = apiSubjects(cluster);
let nc: NatsConnection;
let transport: NatsTransport;
/** What the scripted replica sends after acknowledging a watch. */
let script: (inbox: string) => void = () => undefined;

beforeAll(async () => {
  nc = await connect({ servers: natsUrl });
  await serve(nc, subjects.request, 'api-server', (msg) => {
    const req = msg as { verb: string; name?: string };
    if (req.name === 'missing') throw notFound({ group: '', resource: 'pods' }, 'missing');
    return { code: 200, body: { echo: req }, warnings: ['careful'] };
  });
  await serve(nc, subjects.watch, 'api-server', (msg, ctx) => {
    const req = msg as WatchRequestMessage;
    ctx.afterReply(() => script(req.inbox));
    return {
      code: 200,
      watchId: 'w1',
      replica: 'r1',
      bookmarkIntervalMs: 60_000,
      expiryMs: 60_000,
    };
  });
  await serve(nc, subjects.keepalive('r1'), undefined, () => ({ code: 200, unknown: [] }));
  await serve(nc, subjects.cancel('r1'), undefined, () => ({ code: 200, found: true }));
  transport = await NatsTransport.connect({ cluster, natsUrl, watchBuffer: 4 });
});

afterAll(async () => {
  await transport?.close();
  await nc?.drain();
});

const pods = { group: '', version: 'v1', resource: 'pods', namespace: 'd' };

it('sends requests with the protocol fields and returns body and warnings', async () => {
  const r = await transport.request({
    verb: 'get',
    ...pods,
    name: 'p',
    query: { resourceVersion: '3' },
  });
  expect(r.code).toBe(200);
  expect(r.warnings).toEqual(['careful']);
  expect(r.body).toEqual({
    echo: expect.objectContaining({
      v: 1,
      verb: 'get',
      resource: 'pods',
      namespace: 'd',
      name: 'p',
      query: { resourceVersion: '3' },
    }),
  });
});

it('throws the replica Status as a StatusError, and 503 when nobody serves the cluster', async () => {
  const e = await transport
    .request({ verb: 'get', ...pods, name: 'missing' })
    .catch((x: unknown) => x);
  expect(hasReason(e, 'NotFound')).toBe(true);
  const nobody = await NatsTransport.connect({ cluster: `${cluster}-none`, natsUrl });
  const e2 = await nobody.request({ verb: 'list', ...pods }).catch((x: unknown) => x);
  expect(isStatusError(e2) && e2.code).toBe(503);
  await nobody.close();
});

it('delivers every event in order to a slow consumer, and ends on END', async () => {
  script = (inbox) => {
    for (let seq = 1; seq <= 50; seq++)
      nc.publish(inbox, encode({ seq, type: 'ADDED', object: { metadata: { name: `p${seq}` } } }));
    nc.publish(inbox, encode({ seq: 51, type: 'END', reason: 'timeout' }));
  };
  const w = await transport.watch({ ...pods, query: { resourceVersion: '1' } });
  const names: string[] = [];
  for await (const ev of w) {
    if (ev.type !== 'ERROR')
      names.push((ev.object as { metadata: { name: string } }).metadata.name);
    await new Promise((r) => setTimeout(r, 2)); // slower than the stream: backpressure
  }
  expect(names).toEqual(Array.from({ length: 50 }, (_, i) => `p${i + 1}`));
});

it('throws from the iteration when a message was lost (seq gap)', async () => {
  script = (inbox) => {
    nc.publish(inbox, encode({ seq: 1, type: 'ADDED', object: { metadata: { name: 'a' } } }));
    nc.publish(inbox, encode({ seq: 3, type: 'ADDED', object: { metadata: { name: 'c' } } }));
  };
  const w = await transport.watch(pods);
  const names: string[] = [];
  const e = await (async () => {
    for await (const ev of w)
      if (ev.type === 'ADDED')
        names.push((ev.object as { metadata: { name: string } }).metadata.name);
  })().catch((x: unknown) => x);
  expect(names).toEqual(['a']);
  expect(isStatusError(e) && e.status).toMatchObject({
    code: 503,
    message: expect.stringContaining('gap'),
  });
});

it('stop() ends the iteration normally', async () => {
  script = (inbox) =>
    nc.publish(inbox, encode({ seq: 1, type: 'ADDED', object: { metadata: { name: 'a' } } }));
  const w = await transport.watch(pods);
  let n = 0;
  for await (const _ev of w) {
    n++;
    w.stop();
  }
  expect(n).toBe(1);
});

it('a request lost with a dead replica fails within 3 heartbeats and the Client resends it to a live one', async () => {
  // A second member of the queue group that takes one request and dies with it (kill -9: NATS
  // routed the request to it, nothing comes back, then its subscription is gone).
  const lossy = await connect({ servers: natsUrl });
  let swallowed = 0;
  const dead = lossy.subscribe(subjects.request, {
    queue: 'api-server',
    callback: () => {
      swallowed++;
      dead.unsubscribe();
    },
  });
  await lossy.flush();
  const fast = await NatsTransport.connect({ cluster, natsUrl, heartbeatMs: 100 });
  const client = new Client({ transport: fast, qps: -1 });
  try {
    // The queue group picks a member at random: ask until one request met the dead member.
    let took = 0;
    for (let i = 0; i < 50 && swallowed === 0; i++) {
      const started = Date.now();
      const r = (await client.request({ verb: 'get', ...pods, name: `p${i}` })) as {
        echo: { name: string };
      };
      took = Date.now() - started;
      expect(r.echo.name).toBe(`p${i}`);
    }
    expect(swallowed).toBe(1);
    // 3 × 100 ms of silence, then a resend (50 ms later) answered by the live replica.
    expect(took).toBeGreaterThanOrEqual(300);
    expect(took).toBeLessThan(2000);

    // The transport alone marks it lost, so the Client knows only safe requests may go again.
    const silent = await connect({ servers: natsUrl });
    const other = apiSubjects(`${cluster}-silent`);
    silent.subscribe(other.request, { callback: () => undefined });
    await silent.flush();
    const t = await NatsTransport.connect({
      cluster: `${cluster}-silent`,
      natsUrl,
      heartbeatMs: 100,
    });
    const e = await t.request({ verb: 'get', ...pods, name: 'x' }).catch((x: unknown) => x);
    expect(transportFailureOf(e)).toBe('lost');
    expect((e as { code: number }).code).toBe(504);
    await t.close();
    await silent.close();
  } finally {
    await client.close();
    await lossy.close();
  }
});
