import type { ConfigMap, KubeObject } from '@kubeling/api';
import { configMapKind } from '@kubeling/api';
import { FakeClock, settle } from '@kubeling/api/testing';
import { Client } from '../client';
import type { EventHandler, HandlerRegistration } from '../informer/listener';
import { SharedInformerFactory } from '../informer/factory';
import { FakeApiServer } from '../testing/fakeApiServer';
import type { ReconcileResult } from './controller';
import { Controller } from './controller';
import { enqueueObject } from './handlers';

/** An informer whose sync the test decides. */
class ManualInformer<T> {
  handlers: EventHandler<T>[] = [];
  removed = 0;
  private synced = false;
  private waiters: Array<(ok: boolean) => void> = [];
  addEventHandler(h: EventHandler<T>): HandlerRegistration {
    this.handlers.push(h);
    return { hasSynced: () => this.synced, remove: () => void this.removed++ };
  }
  waitForSync(signal?: AbortSignal): Promise<boolean> {
    if (this.synced) return Promise.resolve(true);
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      signal?.addEventListener('abort', () => resolve(false), { once: true });
    });
  }
  sync(): void {
    this.synced = true;
    for (const w of this.waiters.splice(0)) w(true);
  }
}

/** Until `cond` holds, letting promises (not wall-clock time) run. */
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (cond()) return;
    await settle(2);
  }
  throw new Error('condition not reached');
}

function setup(
  reconcile: (key: string, signal: AbortSignal) => Promise<ReconcileResult | void>,
  workers = 1,
) {
  const clock = new FakeClock();
  const errors: string[] = [];
  const c = new Controller({
    name: 'test',
    reconcile,
    workers,
    clock,
    onError: (key, e) => errors.push(`${key}: ${(e as Error).message}`),
  });
  const informer = new ManualInformer<KubeObject>();
  c.watch(informer, enqueueObject(c.enqueueKey));
  const stop = new AbortController();
  return { clock, errors, c, informer, stop };
}

describe('Controller', () => {
  it('starts workers only once the watched caches have synced', async () => {
    const seen: string[] = [];
    const { c, informer, stop } = setup(async (key) => void seen.push(key));
    const running = c.run(stop.signal);
    await informer.handlers[0]?.onAdd?.({ metadata: { name: 'a', namespace: 'ns' } }, true);
    await settle();
    expect(seen).toEqual([]);
    informer.sync();
    await until(() => seen.length === 1);
    expect(seen).toEqual(['ns/a']);
    stop.abort();
    await running;
    expect(informer.removed).toBe(1);
  });

  it('a throw requeues with backoff (5 ms, 10 ms, ...); success forgets it', async () => {
    const times: number[] = [];
    let failures = 3;
    const { c, clock, errors, informer, stop } = setup(async () => {
      times.push(clock.now());
      if (failures-- > 0) throw new Error('boom');
    });
    const t0 = clock.now();
    informer.sync();
    const running = c.run(stop.signal);
    c.enqueueKey('k');
    await until(() => times.length === 1);
    await clock.advance(4);
    expect(times).toHaveLength(1);
    await clock.advance(1);
    await until(() => times.length === 2);
    await clock.advance(10);
    await until(() => times.length === 3);
    await clock.advance(20);
    await until(() => times.length === 4);
    expect(times.map((t) => t - t0)).toEqual([0, 5, 15, 35]);
    expect(errors).toEqual(['k: boom', 'k: boom', 'k: boom']);
    expect(c.queue.numRequeues('k')).toBe(0);
    stop.abort();
    await running;
  });

  it('requeueAfter comes back after exactly that delay, with the backoff forgotten', async () => {
    const times: number[] = [];
    const { c, clock, informer, stop } = setup(async () => {
      times.push(clock.now());
      return times.length < 3 ? { requeueAfter: 30_000 } : undefined;
    });
    informer.sync();
    const running = c.run(stop.signal);
    c.enqueueKey('k');
    await until(() => times.length === 1);
    await clock.advance(29_999);
    expect(times).toHaveLength(1);
    await clock.advance(1);
    await until(() => times.length === 2);
    await clock.advance(30_000);
    await until(() => times.length === 3);
    await clock.advance(60_000);
    expect(times.map((t) => t - times[0]!)).toEqual([0, 30_000, 60_000]);
    expect(c.queue.numRequeues('k')).toBe(0);
    stop.abort();
    await running;
  });

  it('requeue: true comes back with backoff, without an error', async () => {
    const times: number[] = [];
    const { c, clock, errors, informer, stop } = setup(async () => {
      times.push(clock.now());
      return { requeue: times.length < 3 };
    });
    informer.sync();
    const running = c.run(stop.signal);
    c.enqueueKey('k');
    await until(() => times.length === 1);
    await clock.advance(5);
    await until(() => times.length === 2);
    await clock.advance(10);
    await until(() => times.length === 3);
    expect(times.map((t) => t - times[0]!)).toEqual([0, 5, 15]);
    expect(errors).toEqual([]);
    expect(c.queue.numRequeues('k')).toBe(0);
    stop.abort();
    await running;
  });

  it('runs different keys in parallel on N workers, never one key twice at once', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const busy = new Set<string>();
    const releases: Array<() => void> = [];
    let overlap = false;
    const { c, informer, stop } = setup(async (key) => {
      if (busy.has(key)) overlap = true;
      busy.add(key);
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await new Promise<void>((r) => releases.push(r));
      busy.delete(key);
      inFlight--;
    }, 3);
    informer.sync();
    const running = c.run(stop.signal);
    for (const k of ['a', 'b', 'c', 'd', 'a', 'a']) c.enqueueKey(k);
    await until(() => releases.length === 3);
    c.enqueueKey('a'); // while 'a' is being reconciled: once more after it, not alongside
    for (let i = 0; i < 20 && (releases.length || inFlight); i++) {
      releases.shift()?.();
      await settle(2);
    }
    expect(maxInFlight).toBe(3);
    expect(overlap).toBe(false);
    stop.abort();
    await running;
  });

  it('on stop, finishes the reconcile in progress, takes no new key and resolves', async () => {
    const seen: string[] = [];
    let release!: () => void;
    let toldToHurry = false;
    const { c, informer, stop } = setup(async (key, signal) => {
      seen.push(key);
      if (key === 'slow') {
        await new Promise<void>((r) => (release = r));
        toldToHurry = signal.aborted;
      }
    });
    informer.sync();
    const running = c.run(stop.signal);
    c.enqueueKey('slow');
    await until(() => seen.length === 1);
    c.enqueueKey('after');
    stop.abort();
    let done = false;
    void running.then(() => (done = true));
    await settle();
    expect(done).toBe(false);
    release();
    await running;
    expect(seen).toEqual(['slow']);
    expect(toldToHurry).toBe(true);
    expect(c.queue.isShuttingDown()).toBe(true);
  });

  it('resolves without reconciling when stopped before the caches synced', async () => {
    const seen: string[] = [];
    const { c, stop } = setup(async (key) => void seen.push(key));
    const running = c.run(stop.signal);
    c.enqueueKey('k');
    stop.abort();
    await running;
    expect(seen).toEqual([]);
  });

  it('with real informers: reconciles each object by key as the server changes', async () => {
    const server = new FakeApiServer();
    const client = new Client({ transport: server });
    const factory = new SharedInformerFactory({ client, clock: new FakeClock() });
    const cms = factory.informerFor<ConfigMap>(configMapKind);
    const state = new Map<string, string | undefined>();
    const c = new Controller({
      name: 'cm',
      clock: new FakeClock(),
      reconcile: async (key) => {
        state.set(key, cms.store.get(key)?.data?.v);
      },
    });
    c.watch(cms, enqueueObject(c.enqueueKey));
    server.put('configmaps', { metadata: { name: 'a', namespace: 'x' }, data: { v: '1' } });
    factory.start();
    const stop = new AbortController();
    const running = c.run(stop.signal);
    await until(() => state.get('x/a') === '1');
    server.put('configmaps', { metadata: { name: 'a', namespace: 'x' }, data: { v: '2' } });
    server.put('configmaps', { metadata: { name: 'b', namespace: 'x' }, data: { v: '3' } });
    await until(() => state.get('x/a') === '2' && state.get('x/b') === '3');
    server.remove('configmaps', 'x', 'a');
    await until(() => state.has('x/a') && state.get('x/a') === undefined);
    stop.abort();
    await running;
    await factory.shutdown();
  });

  it('rejects a non-positive worker count', async () => {
    expect(() => new Controller({ name: 'x', workers: 0, reconcile: async () => {} })).toThrow(
      /workers must be a positive integer/,
    );
  });
});
