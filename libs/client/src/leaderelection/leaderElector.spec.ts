import type { Lease } from '@kubeling/api';
import { hasReason, parseTime, serviceUnavailable } from '@kubeling/api';
import { Client } from '../client';
import { FakeApiServer } from '../testing/fakeApiServer';
import { FakeClock, settle } from '@kubeling/api/testing';
import type { ApiRequest, AttemptOptions, Transport, WatchRequest } from '../transport/types';
import { parseComponentFlags } from '@kubeling/runtime';
import { leaderElectionFlags, leaderElectionFromFlags, parseDuration } from './flags';
import { LeaderElector } from './leaderElector';

interface Sent {
  verb: string;
  at: number;
  timeoutMs: number | undefined;
  abortedAt?: number;
}

/**
 * A transport to the shared fake server that can be cut, as a crashed or partitioned process,
 * or made to hang, as a request in flight to an api-server replica that died: it then only ends
 * when its signal aborts. It records when each request was sent and with what time limit.
 */
function cuttable(
  server: FakeApiServer,
  clock: FakeClock,
): Transport & { cut: boolean; hang: boolean; conflicts: number; sent: Sent[] } {
  const t = {
    cut: false,
    hang: false,
    conflicts: 0,
    sent: [] as Sent[],
    request: async (req: ApiRequest, opts: AttemptOptions = {}) => {
      const sent: Sent = { verb: req.verb, at: clock.now(), timeoutMs: opts.timeoutMs };
      t.sent.push(sent);
      if (t.cut) throw serviceUnavailable('partitioned');
      if (t.hang)
        return new Promise<never>((_resolve, reject) => {
          opts.signal?.addEventListener('abort', () => {
            sent.abortedAt = clock.now();
            reject(opts.signal?.reason as Error);
          });
        });
      try {
        return await server.request(req);
      } catch (e) {
        if (hasReason(e, 'Conflict')) t.conflicts++;
        throw e;
      }
    },
    watch: (req: WatchRequest) => server.watch(req),
    close: async () => undefined,
  };
  return t;
}

function setup() {
  const clock = new FakeClock();
  const server = new FakeApiServer({ now: () => clock.now() });
  const events: string[] = [];
  const candidate = (id: string) => {
    const transport = cuttable(server, clock);
    const state = {
      leading: false,
      startedAt: -1,
      stoppedAt: -1,
      signal: undefined as AbortSignal | undefined,
    };
    const elector = new LeaderElector({
      client: new Client({ transport, clock }),
      leaseNamespace: 'kube-system',
      leaseName: 'test-lock',
      identity: id,
      clock,
      onError: () => undefined,
      onStartedLeading: (signal) => {
        state.leading = true;
        state.startedAt = clock.now();
        state.signal = signal;
        events.push(`${id} started`);
      },
      onStoppedLeading: () => {
        state.leading = false;
        state.stoppedAt = clock.now();
        events.push(`${id} stopped`);
      },
      onNewLeader: (who) => events.push(`${id} sees ${who}`),
    });
    return { elector, transport, state };
  };
  const lease = () => server.stored<Lease>('leases.coordination.k8s.io')[0];
  return { clock, server, events, candidate, lease };
}

describe('LeaderElector (fake clock)', () => {
  it('acquires a missing Lease at once and renews it every retry period', async () => {
    const { clock, candidate, lease, events } = setup();
    const a = candidate('a');
    const done = a.elector.run();
    await settle();
    expect(a.state.leading).toBe(true);
    expect(a.elector.isLeader()).toBe(true);
    const l0 = lease()!;
    expect(l0.spec).toMatchObject({
      holderIdentity: 'a',
      leaseDurationSeconds: 15,
      leaseTransitions: 0,
    });
    expect(l0.spec.acquireTime).toBe(l0.spec.renewTime);
    expect(events).toContain('a sees a');

    await clock.advance(2000);
    const l1 = lease()!;
    expect(parseTime(l1.spec.renewTime) - parseTime(l0.spec.renewTime)).toBe(2000);
    expect(l1.spec.acquireTime).toBe(l0.spec.acquireTime);
    expect(l1.spec.leaseTransitions).toBe(0);
    expect(Number(l1.metadata.resourceVersion)).toBeGreaterThan(
      Number(l0.metadata.resourceVersion),
    );

    await a.elector.stop();
    await done;
  });

  it('a standby waits while the leader renews', async () => {
    const { clock, candidate, lease } = setup();
    const a = candidate('a');
    const b = candidate('b');
    void a.elector.run();
    await settle();
    void b.elector.run();
    await clock.advance(60_000);
    expect(a.state.leading).toBe(true);
    expect(b.state.leading).toBe(false);
    expect(b.elector.getLeader()).toBe('a');
    expect(lease()?.spec.holderIdentity).toBe('a');
    await Promise.all([a.elector.stop(), b.elector.stop()]);
  });

  it('the leader stops leading when it cannot renew within the renew deadline', async () => {
    const { clock, candidate } = setup();
    const a = candidate('a');
    const done = a.elector.run();
    await settle();
    await clock.advance(4000);
    const lastRenew = clock.now(); // renewed at 4 s
    a.transport.cut = true;
    await clock.advance(9_000);
    expect(a.state.leading).toBe(true); // still within the deadline
    await clock.advance(1000);
    expect(a.state.leading).toBe(false);
    // renewDeadline (10 s) after the last successful renewal was sent.
    expect(a.state.stoppedAt - lastRenew).toBe(10_000);
    expect(a.state.signal?.aborted).toBe(true);
    await done;
  });

  it('stops acting at the renew deadline even while a renewal hangs, and bounds every request by it', async () => {
    const { clock, candidate } = setup();
    const a = candidate('a');
    let abortedAt = -1;
    const done = a.elector.run();
    await settle();
    a.state.signal!.addEventListener('abort', () => (abortedAt = clock.now()));
    await clock.advance(4000);
    const lastRenew = clock.now();
    // Acquisition: the GET and the create each had the whole renew deadline; a renewal 2 s
    // after a success has 8 s left.
    expect(a.transport.sent.slice(0, 2).map((s) => s.timeoutMs)).toEqual([10_000, 10_000]);
    const renewal = a.transport.sent.filter((s) => s.at === lastRenew);
    expect(renewal.map((s) => [s.verb, s.timeoutMs])).toEqual([
      ['get', 8000],
      ['update', 8000],
    ]);
    a.transport.hang = true; // the next renewal goes to a replica that just died
    await clock.advance(2000);
    const hung = a.transport.sent.at(-1)!;
    expect(hung).toMatchObject({ verb: 'get', at: lastRenew + 2000, timeoutMs: 8000 });
    await clock.advance(7999);
    expect(a.state.leading).toBe(true);
    expect(hung.abortedAt).toBeUndefined();
    await clock.advance(1);
    // Not a moment later than renewDeadline after the last renewal was sent: the hanging
    // request is abandoned and the signal aborted together.
    expect(abortedAt).toBe(lastRenew + 10_000);
    expect(hung.abortedAt).toBe(lastRenew + 10_000);
    expect(a.elector.isLeader()).toBe(false);
    expect(a.state.leading).toBe(false);
    await done;
  });

  it('a standby takes over from a leader whose renewals hang, never overlapping it', async () => {
    const { clock, candidate, lease } = setup();
    const a = candidate('a');
    const b = candidate('b');
    void a.elector.run();
    await settle();
    void b.elector.run();
    await clock.advance(6000);
    const lastSent = a.transport.sent.filter((s) => s.verb === 'update').at(-1)!.at;
    a.transport.hang = true;
    for (let i = 0; i < 300 && !b.state.leading; i++) await clock.advance(100);
    expect(b.state.leading).toBe(true);
    expect(a.state.stoppedAt).toBe(lastSent + 10_000);
    // The margin: at least leaseDuration - renewDeadline between a's end and b's start.
    expect(b.state.startedAt - a.state.stoppedAt).toBeGreaterThanOrEqual(5000);
    expect(lease()?.spec.holderIdentity).toBe('b');
    await b.elector.stop();
  });

  it('a standby takes over after the lease duration when the leader dies, never overlapping', async () => {
    const { clock, candidate, lease } = setup();
    const a = candidate('a');
    const b = candidate('b');
    void a.elector.run();
    await settle();
    void b.elector.run();
    await clock.advance(10_000);
    const lastRenew = parseTime(lease()?.spec.renewTime);
    a.transport.cut = true; // a's process is gone: no renewal, no release
    for (let i = 0; i < 300 && !b.state.leading; i++) await clock.advance(100);
    expect(b.state.leading).toBe(true);
    const takeover = b.state.startedAt - lastRenew;
    expect(takeover).toBeGreaterThanOrEqual(15_000);
    // leaseDuration + up to one jittered retry to observe the last renewal and one to act.
    expect(takeover).toBeLessThanOrEqual(15_000 + 2 * 2.2 * 2000);
    expect(a.state.stoppedAt).toBeGreaterThan(0);
    expect(a.state.stoppedAt).toBeLessThan(b.state.startedAt);
    expect(lease()?.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
    await b.elector.stop();
  });

  it('releases the Lease on a clean stop so a standby takes over at once', async () => {
    const { clock, candidate, lease } = setup();
    const a = candidate('a');
    const b = candidate('b');
    void a.elector.run();
    await settle();
    void b.elector.run();
    await clock.advance(6000);
    await a.elector.stop();
    const released = lease()!;
    expect(released.spec.holderIdentity).toBeUndefined();
    expect(released.spec.leaseDurationSeconds).toBe(1);
    expect(a.state.stoppedAt).toBe(clock.now());
    const stoppedAt = clock.now();
    for (let i = 0; i < 100 && !b.state.leading; i++) await clock.advance(100);
    expect(b.state.leading).toBe(true);
    expect(b.state.startedAt - stoppedAt).toBeLessThanOrEqual(2.2 * 2000 + 100);
    expect(lease()?.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
    await b.elector.stop();
  });

  it('of candidates racing for a free Lease exactly one wins (resourceVersion CAS)', async () => {
    const { clock, server, candidate, lease } = setup();
    const t = new Date(clock.now()).toISOString();
    // A released Lease: free for the taking at the first attempt of every candidate.
    server.put('leases.coordination.k8s.io', {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'test-lock', namespace: 'kube-system' },
      spec: { leaseDurationSeconds: 1, acquireTime: t, renewTime: t, leaseTransitions: 4 },
    });
    const cs = ['a', 'b', 'c'].map(candidate);
    for (const c of cs) void c.elector.run();
    await settle();
    // All three read the same resourceVersion and wrote with it: two got 409 Conflict.
    expect(cs.filter((c) => c.state.leading)).toHaveLength(1);
    expect(cs.reduce((n, c) => n + c.transport.conflicts, 0)).toBe(2);
    await clock.advance(30_000);
    expect(cs.filter((c) => c.state.leading)).toHaveLength(1);
    expect(lease()?.spec.leaseTransitions).toBe(5);
    await Promise.all(cs.map((c) => c.elector.stop()));
  });

  it('rejects inconsistent timings as client-go does', () => {
    const client = new Client({ transport: new FakeApiServer(), qps: -1 });
    const base = {
      client,
      leaseNamespace: 'ns',
      leaseName: 'l',
      identity: 'x',
      onStartedLeading: () => undefined,
    };
    expect(
      () => new LeaderElector({ ...base, leaseDurationMs: 10_000, renewDeadlineMs: 10_000 }),
    ).toThrow('leaseDuration must be greater than renewDeadline');
    expect(
      () => new LeaderElector({ ...base, renewDeadlineMs: 2_000, retryPeriodMs: 2_000 }),
    ).toThrow('renewDeadline must be greater than retryPeriod*JitterFactor');
  });
});

describe('leader election flags', () => {
  it('parses Go durations', () => {
    expect(parseDuration('15s')).toBe(15_000);
    expect(parseDuration('1m30s')).toBe(90_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration('0')).toBe(0);
    expect(() => parseDuration('15')).toThrow('invalid duration');
    expect(() => parseDuration('15s junk')).toThrow('invalid duration');
  });

  it('has upstream names and defaults, and accepts --leader-elect=false', () => {
    const parse = (argv: string[]) =>
      parseComponentFlags('kube-scheduler', leaderElectionFlags, argv);
    expect(leaderElectionFromFlags(parse([]), { resourceName: 'kube-scheduler' })).toEqual({
      enabled: true,
      leaseDurationMs: 15_000,
      renewDeadlineMs: 10_000,
      retryPeriodMs: 2_000,
      leaseName: 'kube-scheduler',
      leaseNamespace: 'kube-system',
    });
    const f = leaderElectionFromFlags(
      parse([
        '--leader-elect=false',
        '--leader-elect-lease-duration=3s',
        '--leader-elect-renew-deadline',
        '2s',
        '--leader-elect-retry-period=500ms',
        '--leader-elect-resource-name=x',
        '--leader-elect-resource-namespace=default',
      ]),
      { resourceName: 'kube-scheduler' },
    );
    expect(f).toEqual({
      enabled: false,
      leaseDurationMs: 3000,
      renewDeadlineMs: 2000,
      retryPeriodMs: 500,
      leaseName: 'x',
      leaseNamespace: 'default',
    });
    expect(() => parse(['--leader-elect-resource-lock=endpoints'])).toThrow(
      'invalid argument "endpoints" for "--leader-elect-resource-lock" flag: must be one of: leases',
    );
    expect(
      leaderElectionFromFlags(parse(['--no-leader-elect']), { resourceName: 'x' }).enabled,
    ).toBe(false);
  });
});
