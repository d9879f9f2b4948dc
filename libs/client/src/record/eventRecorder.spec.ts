import type { Event, Pod } from '@kubeling/api';
import { internalError, invalid } from '@kubeling/api';
import { Client } from '../client';
import { FakeApiServer } from '../testing/fakeApiServer';
import { FakeClock } from '@kubeling/api/testing';
import { EventBroadcaster, goSprintf } from './eventRecorder';

const pod: Pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'shop', uid: 'pod-uid', resourceVersion: '7' },
  spec: { containers: [{ name: 'c', image: 'nginx' }] },
} as Pod;

function setup(opts: { maxQueued?: number } = {}) {
  const clock = new FakeClock(Date.UTC(2026, 4, 1, 10, 0, 0));
  const server = new FakeApiServer({ now: () => clock.now() });
  const errors: unknown[] = [];
  const broadcaster = new EventBroadcaster({
    client: new Client({ transport: server, qps: -1 }),
    clock,
    onError: (e) => errors.push(e),
    ...opts,
  });
  const recorder = broadcaster.newRecorder({ component: 'tester', host: 'node-a' });
  const events = () => server.stored<Event>('events');
  return { clock, server, broadcaster, recorder, events, errors };
}

describe('EventBroadcaster', () => {
  it('creates a core/v1 Event as upstream names and fills it', async () => {
    const { recorder, broadcaster, events, clock } = setup();
    recorder.event(pod, 'Normal', 'Scheduled', 'Successfully assigned shop/web to node-1');
    await broadcaster.flush();
    const [ev] = events();
    expect(ev).toMatchObject({
      metadata: { namespace: 'shop' },
      involvedObject: {
        kind: 'Pod',
        namespace: 'shop',
        name: 'web',
        uid: 'pod-uid',
        apiVersion: 'v1',
        resourceVersion: '7',
      },
      reason: 'Scheduled',
      message: 'Successfully assigned shop/web to node-1',
      source: { component: 'tester', host: 'node-a' },
      type: 'Normal',
      count: 1,
      firstTimestamp: '2026-05-01T10:00:00Z',
      lastTimestamp: '2026-05-01T10:00:00Z',
    });
    // <name>.<hex of UnixNano>
    expect(ev?.metadata.name).toBe(`web.${(BigInt(clock.now()) * 1_000_000n).toString(16)}`);
  });

  it('aggregates repeats into one Event: PATCH count and lastTimestamp', async () => {
    const { recorder, broadcaster, events, clock, server } = setup();
    recorder.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
    await broadcaster.flush();
    const first = events()[0]!;
    await clock.advance(30_000);
    recorder.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
    await clock.advance(30_000);
    recorder.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
    await broadcaster.flush();
    expect(events()).toHaveLength(1);
    expect(events()[0]).toMatchObject({
      metadata: { name: first.metadata.name },
      count: 3,
      firstTimestamp: '2026-05-01T10:00:00Z',
      lastTimestamp: '2026-05-01T10:01:00Z',
    });
    const patches = server.requests.filter((r) => r.verb === 'patch');
    expect(patches).toHaveLength(2);
    expect(patches[1]).toMatchObject({
      patchType: 'merge',
      name: first.metadata.name,
      body: { count: 3, lastTimestamp: '2026-05-01T10:01:00Z' },
    });
    // A different message, reason or object is a different Event.
    recorder.event(pod, 'Warning', 'BackOff', 'another message');
    recorder.event(
      { ...pod, metadata: { ...pod.metadata, name: 'db', uid: 'db-uid' } },
      'Warning',
      'BackOff',
      'Back-off restarting failed container',
    );
    await broadcaster.flush();
    expect(events()).toHaveLength(3);
  });

  it('recreates an aggregated Event that was deleted, keeping its count', async () => {
    const { recorder, broadcaster, events, server } = setup();
    recorder.event(pod, 'Normal', 'Pulled', 'pulled');
    await broadcaster.flush();
    const name = events()[0]!.metadata.name!;
    server.remove('events', 'shop', name);
    recorder.event(pod, 'Normal', 'Pulled', 'pulled');
    await broadcaster.flush();
    expect(events()).toEqual([
      expect.objectContaining({ count: 2, metadata: expect.objectContaining({ name }) }),
    ]);
  });

  it('combines more than 10 similar events into one', async () => {
    const { recorder, broadcaster, events } = setup();
    for (let i = 0; i < 15; i++)
      recorder.event(pod, 'Warning', 'FailedMount', `volume v${i} not found`);
    await broadcaster.flush();
    const all = events();
    // 9 distinct messages, then one combined event that the rest patch.
    expect(all).toHaveLength(10);
    const combined = all.filter((e) => e.message?.startsWith('(combined from similar events): '));
    expect(combined).toHaveLength(1);
    expect(combined[0]).toMatchObject({
      count: 6,
      message: '(combined from similar events): volume v14 not found',
    });
  });

  it('never blocks on a storm: a bounded queue, then deduplication and the spam filter', async () => {
    const { recorder, broadcaster, events, server, clock } = setup({ maxQueued: 100 });
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
    // The server is down: nothing can be written while the storm happens.
    const heal = server.failWhen(
      () => true,
      () => internalError(new Error('down')),
    );
    const started = Date.now();
    for (let i = 0; i < 5000; i++) recorder.event(pod, 'Warning', 'Storm', 'again');
    expect(Date.now() - started).toBeLessThan(1000);
    // One event is with the writer, 100 wait, the rest were dropped.
    expect(broadcaster.pending()).toBe(100);
    expect(broadcaster.dropped).toBe(4899);
    heal();
    await clock.advance(5000); // the writer's first retry
    await broadcaster.flush();
    // One Event; its repeats patched it until the object's spam budget (25 writes) ran out.
    expect(events()).toEqual([expect.objectContaining({ count: 25, reason: 'Storm' })]);
    expect(broadcaster.filtered).toBe(76);
    jest.restoreAllMocks();
  });

  it('the spam filter lets through a burst of 25 per object, then one per 5 minutes', async () => {
    const { recorder, broadcaster, server, clock } = setup();
    for (let i = 0; i < 40; i++) recorder.event(pod, 'Normal', `R${i % 2}`, `m${i}`);
    await broadcaster.flush();
    const writes = () =>
      server.requests.filter((r) => r.verb === 'create' || r.verb === 'patch').length;
    expect(writes()).toBe(25);
    expect(broadcaster.filtered).toBe(15);
    await clock.advance(300_000);
    recorder.event(pod, 'Normal', 'R0', 'later');
    recorder.event(pod, 'Normal', 'R0', 'later again');
    await broadcaster.flush();
    expect(writes()).toBe(26);
  });

  it('retries failed writes 10 s apart (the first after a random part of that)', async () => {
    const { recorder, broadcaster, events, server, clock } = setup();
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
    server.failWhen(
      (r) => r.verb === 'create',
      () => internalError(new Error('etcd down')),
      2,
    );
    recorder.event(pod, 'Normal', 'Started', 'started');
    await clock.advance(4_999);
    const creates = () => server.requests.filter((r) => r.verb === 'create').length;
    expect(creates()).toBe(1);
    await clock.advance(1); // first retry at 0.5 × 10 s, fails again
    expect(creates()).toBe(2);
    await clock.advance(9_999);
    expect(events()).toHaveLength(0);
    await clock.advance(1); // then every 10 s
    await broadcaster.flush();
    expect(creates()).toBe(3);
    expect(events()).toHaveLength(1);
    jest.restoreAllMocks();
  });

  it('gives up on a write the server refuses for what it is', async () => {
    const { recorder, broadcaster, server, errors } = setup();
    server.failWhen(
      (r) => r.verb === 'create',
      () => invalid({ group: '', kind: 'Event' }, 'x', []),
      1,
    );
    recorder.event(pod, 'Normal', 'Started', 'started');
    await broadcaster.flush();
    expect(errors).toHaveLength(1);
    expect(server.requests.filter((r) => r.verb === 'create')).toHaveLength(1);
  });

  it('formats Go-style messages', () => {
    expect(goSprintf('Created pod: %v', ['web-1'])).toBe('Created pod: web-1');
    expect(goSprintf('%d of %d ready, %q', [1, 3, 'x'])).toBe('1 of 3 ready, "x"');
    expect(goSprintf('100%% %s', [])).toBe('100% %!s(MISSING)');
  });
});
