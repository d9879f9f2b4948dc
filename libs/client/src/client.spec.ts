/**
 * The Client's deadlines, retries and QPS limit against a scripted transport and a fake clock:
 * what is sent again, when, and what the caller sees.
 */
import type { StatusError } from '@kubeling/api';
import {
  alreadyExists,
  configMapKind,
  conflict,
  isStatusError,
  serviceUnavailable,
  statusFailure,
  tooManyRequests,
} from '@kubeling/api';
import type { ClientOptions } from './client';
import { Client } from './client';
import { safeToResend } from './retry';
import { FakeClock, settle } from '@kubeling/api/testing';
import { markTransportFailure } from './transport/status';
import type {
  ApiRequest,
  ApiResponse,
  AttemptOptions,
  Transport,
  WatchStream,
} from './transport/types';

type Attempt = { req: ApiRequest | { verb: 'watch' }; at: number; opts: AttemptOptions };
type Script = (n: number, req: ApiRequest | { verb: 'watch' }, opts: AttemptOptions) => unknown;

/** Answers attempt n with script(n): a value is the reply body, an Error is thrown, 'hang' hangs. */
function scripted(clock: FakeClock, script: Script): Transport & { attempts: Attempt[] } {
  const attempts: Attempt[] = [];
  const answer = async (req: ApiRequest | { verb: 'watch' }, opts: AttemptOptions = {}) => {
    attempts.push({ req, at: clock.now(), opts });
    const r = script(attempts.length - 1, req, opts);
    if (r instanceof Error) throw r;
    if (r === 'hang')
      return new Promise<never>((_res, reject) =>
        opts.signal?.addEventListener('abort', () => reject(opts.signal?.reason as Error)),
      );
    return r;
  };
  return {
    attempts,
    request: async (req, opts) => ({ code: 200, body: await answer(req, opts) }) as ApiResponse,
    watch: async (_req, opts) => {
      await answer({ verb: 'watch' }, opts);
      const stream = { stopped: false, stop: () => (stream.stopped = true) };
      return {
        ...stream,
        stop: stream.stop,
        get stopped() {
          return stream.stopped;
        },
        async *[Symbol.asyncIterator]() {},
      } as unknown as WatchStream;
    },
    close: async () => undefined,
  };
}

const lost = () => markTransportFailure(statusFailure('Timeout', 'replica went silent'), 'lost');
const notDelivered = () =>
  markTransportFailure(serviceUnavailable('no one serves (no responders)'), 'not-delivered');

function setup(script: Script, opts: Partial<ClientOptions> = {}) {
  const clock = new FakeClock();
  const transport = scripted(clock, script);
  const client = new Client({ transport, clock, qps: -1, ...opts });
  const cms = client.resource(configMapKind).namespace('default');
  return { clock, transport, client, cms };
}

async function failure(p: Promise<unknown>): Promise<StatusError> {
  try {
    await p;
  } catch (e) {
    if (isStatusError(e)) return e;
    throw e;
  }
  throw new Error('did not fail');
}

const cm = (meta: Record<string, string>) => ({ metadata: { namespace: 'default', ...meta } });

describe('deadlines', () => {
  it('fails a call with 504 at its deadline, aborting the attempt in flight', async () => {
    const { clock, transport, cms } = setup(() => 'hang');
    const t0 = clock.now();
    const p = failure(cms.get('x', { timeoutMs: 5000 }));
    await clock.advance(4999);
    expect(transport.attempts[0]!.opts.timeoutMs).toBe(5000);
    expect(transport.attempts[0]!.opts.signal?.aborted).toBe(false);
    await clock.advance(1);
    const e = await p;
    expect([e.code, e.reason]).toEqual([504, 'Timeout']);
    expect(e.message).toMatch(/get configmaps default\/x: no answer within 5000ms/);
    expect(transport.attempts[0]!.opts.signal?.aborted).toBe(true);
    expect(clock.now() - t0).toBe(5000);
  });

  it('ends a call at its deadline even when the transport ignores the signal', async () => {
    const { clock, cms } = setup(() => new Promise(() => undefined));
    const p = failure(cms.get('x', { timeoutMs: 1000 }));
    await clock.advance(1000);
    expect((await p).code).toBe(504);
  });

  it('has a default deadline of 30 s', async () => {
    const { clock, cms } = setup(() => 'hang');
    const p = failure(cms.list());
    await clock.advance(30_000);
    expect((await p).code).toBe(504);
  });

  it('ends at once when the caller aborts, with the caller reason', async () => {
    const { clock, cms } = setup(() => 'hang');
    const ac = new AbortController();
    const p = failure(cms.get('x', { signal: ac.signal }));
    await clock.advance(10);
    ac.abort(conflict({ group: '', resource: 'configmaps' }, 'x', 'mine'));
    expect((await p).code).toBe(409);
    const already = await failure(cms.get('x', { signal: AbortSignal.abort() }));
    expect([already.code, already.message]).toEqual([
      504,
      'get configmaps default/x: the request was cancelled',
    ]);
  });

  it('gives each retry only the time left', async () => {
    const { clock, transport, cms } = setup((n) => (n < 2 ? lost() : { ok: n }));
    await clock.advance(0);
    const p = cms.get('x', { timeoutMs: 1000 });
    await clock.advance(200);
    expect(await p).toEqual({ ok: 2 });
    // Backoff 50 ms, then 100 ms.
    expect(
      transport.attempts.map((a) => [a.at - transport.attempts[0]!.at, a.opts.timeoutMs]),
    ).toEqual([
      [0, 1000],
      [50, 950],
      [150, 850],
    ]);
  });
});

describe('retries', () => {
  it('waits out a 429 Retry-After and tries again, for any verb', async () => {
    const { clock, transport, cms } = setup((n) =>
      n === 0
        ? tooManyRequests('Too many requests, please try again later.', 2)
        : { created: true },
    );
    const p = cms.create(cm({ generateName: 'x-' }) as never);
    await clock.advance(1999);
    expect(transport.attempts).toHaveLength(1);
    await clock.advance(1);
    expect(await p).toEqual({ created: true });
    expect(transport.attempts.map((a) => a.at - transport.attempts[0]!.at)).toEqual([0, 2000]);
  });

  it('gives up on 429 after maxRetries, with the 429', async () => {
    const { clock, transport, cms } = setup(() => tooManyRequests('busy', 1), { maxRetries: 3 });
    const p = failure(cms.get('x', { timeoutMs: 60_000 }));
    await clock.advance(10_000);
    expect((await p).code).toBe(429);
    expect(transport.attempts).toHaveLength(4);
  });

  it('does not wait for a Retry-After beyond its deadline', async () => {
    const { clock, transport, cms } = setup(() => tooManyRequests('busy', 5));
    const p = failure(cms.get('x', { timeoutMs: 3000 }));
    await clock.advance(0);
    expect((await p).code).toBe(429);
    expect(transport.attempts).toHaveLength(1);
    expect(clock.pending()).toBe(0);
  });

  it('sends any request again when no server received it (no responders)', async () => {
    const { clock, transport, cms } = setup((n) => (n < 3 ? notDelivered() : { ok: true }));
    const p = cms.create(cm({ generateName: 'x-' }) as never);
    await clock.advance(1000);
    expect(await p).toEqual({ ok: true });
    expect(transport.attempts).toHaveLength(4);
  });

  it('sends a lost read again, but not a lost write without a precondition', async () => {
    const s1 = setup((n) => (n === 0 ? lost() : { items: [] }));
    const list = s1.cms.list();
    await s1.clock.advance(100);
    expect(await list).toEqual({ items: [] });
    expect(s1.transport.attempts).toHaveLength(2);

    const s2 = setup((n) => (n === 0 ? lost() : { ok: true }));
    const e = await failure(s2.cms.update(cm({ name: 'x' }) as never));
    expect(e.message).toBe('replica went silent');
    expect(s2.transport.attempts).toHaveLength(1);
  });

  it('sends a lost write guarded by a precondition again, and returns its 409 as it is', async () => {
    // The first attempt committed on a replica that died before answering: the retry of a
    // create finds the name taken; that of an update finds the resourceVersion moved.
    const create = setup((n) =>
      n === 0 ? lost() : alreadyExists({ group: '', resource: 'configmaps' }, 'x'),
    );
    const p1 = failure(create.cms.create(cm({ name: 'x' }) as never));
    await create.clock.advance(100);
    expect((await p1).reason).toBe('AlreadyExists');
    expect(create.transport.attempts).toHaveLength(2);

    const update = setup((n) =>
      n === 0 ? lost() : conflict({ group: '', resource: 'configmaps' }, 'x', 'rv moved'),
    );
    const p2 = failure(update.cms.update(cm({ name: 'x', resourceVersion: '7' }) as never));
    await update.clock.advance(100);
    expect((await p2).reason).toBe('Conflict');
    expect(update.transport.attempts).toHaveLength(2);
  });

  it('starts a watch again when no server received the request, and stops it with the signal', async () => {
    const { clock, transport, cms } = setup((n) => (n === 0 ? notDelivered() : {}));
    const ac = new AbortController();
    const p = cms.watch({ resourceVersion: '5', signal: ac.signal });
    await clock.advance(100);
    const w = (await p) as WatchStream & { stopped: boolean };
    expect(transport.attempts.map((a) => a.req.verb)).toEqual(['watch', 'watch']);
    expect(w.stopped).toBe(false);
    ac.abort();
    expect(w.stopped).toBe(true);
  });
});

describe('which writes are safe to send twice', () => {
  it.each([
    [{ verb: 'get' }, true],
    [{ verb: 'list' }, true],
    [{ verb: 'watch' }, true],
    [{ verb: 'create', body: { metadata: { name: 'a' } } }, true],
    [{ verb: 'create', body: { metadata: { generateName: 'a-' } } }, false],
    [{ verb: 'update', body: { metadata: { name: 'a', resourceVersion: '3' } } }, true],
    [{ verb: 'update', body: { metadata: { name: 'a' } } }, false],
    [{ verb: 'patch', patchType: 'merge', body: { metadata: { resourceVersion: '3' } } }, true],
    [{ verb: 'patch', patchType: 'merge', body: { data: { a: '1' } } }, false],
    [
      {
        verb: 'patch',
        patchType: 'json',
        body: [{ op: 'test', path: '/metadata/resourceVersion', value: '3' }],
      },
      true,
    ],
    [
      { verb: 'patch', patchType: 'json', body: [{ op: 'add', path: '/data/a', value: '1' }] },
      false,
    ],
    [{ verb: 'delete', body: { preconditions: { uid: 'u' } } }, true],
    [{ verb: 'delete', body: { preconditions: { resourceVersion: '3' } } }, true],
    [{ verb: 'delete' }, false],
    [{ verb: 'deletecollection' }, false],
  ] as const)('%j → %s', (req, safe) => {
    expect(safeToResend(req as never)).toBe(safe);
  });
});

describe('QPS and burst', () => {
  it('defaults to client-go: bursts of 10, then 5 per second, waiting instead of failing', async () => {
    const { clock, transport, cms } = setup(() => ({}), { qps: undefined });
    const t0 = clock.now();
    const all = Promise.all(Array.from({ length: 20 }, (_x, i) => cms.get(`c${i}`)));
    await settle();
    expect(transport.attempts).toHaveLength(10);
    await clock.advance(1000);
    expect(transport.attempts).toHaveLength(15);
    await clock.advance(1000);
    await all;
    expect(transport.attempts.map((a) => a.at - t0).slice(9, 12)).toEqual([0, 200, 400]);
    expect(transport.attempts.at(-1)!.at - t0).toBe(2000);
  });

  it('fails a call at once whose token would come after its deadline', async () => {
    const { clock, transport, cms } = setup(() => ({}), { qps: 1, burst: 1 });
    await cms.get('a');
    const e = await failure(cms.get('b', { timeoutMs: 500 }));
    expect(e.message).toMatch(/would exceed context deadline/);
    expect(transport.attempts).toHaveLength(1);
    await clock.advance(1000);
    await cms.get('c');
    expect(transport.attempts).toHaveLength(2);
  });

  it('has no limit with qps <= 0', async () => {
    for (const qps of [0, -1]) {
      const { transport, cms, client } = setup(() => ({}), { qps });
      expect(client.rateLimiter).toBeUndefined();
      await Promise.all(Array.from({ length: 50 }, (_x, i) => cms.get(`c${i}`)));
      expect(transport.attempts).toHaveLength(50);
    }
  });
});
