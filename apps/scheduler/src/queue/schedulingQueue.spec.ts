import { FakeClock } from '@kubeling/api/testing';
import { makePod } from '../testing/fixtures';
import { SchedulingQueue } from './schedulingQueue';

const names = async (q: SchedulingQueue, n: number) => {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push((await q.pop())!.pod.metadata.name!);
  return out;
};

describe('SchedulingQueue', () => {
  it('pops by priority, then by arrival', async () => {
    const clock = new FakeClock();
    const q = new SchedulingQueue({ clock });
    q.add(makePod('a', { priority: 1 }));
    await clock.advance(1);
    q.add(makePod('b', { priority: 10 }));
    await clock.advance(1);
    q.add(makePod('c', { priority: 1 }));
    q.add(makePod('d'));
    expect(await names(q, 4)).toEqual(['b', 'a', 'c', 'd']);
  });

  it('backoff is 1 s doubling per attempt, at most 10 s', () => {
    const q = new SchedulingQueue();
    const info = { attempts: 0 } as Parameters<SchedulingQueue['backoffDurationMs']>[0];
    const got = [1, 2, 3, 4, 5, 6].map((attempts) => q.backoffDurationMs({ ...info, attempts }));
    expect(got).toEqual([1000, 2000, 4000, 8000, 10000, 10000]);
  });

  it('an unschedulable pod waits until a move event, then its backoff', async () => {
    const clock = new FakeClock();
    const q = new SchedulingQueue({ clock });
    q.run();
    q.add(makePod('a'));
    const info = (await q.pop())!;
    const cycle = q.cycle;
    q.addUnschedulableIfNotPresent(info, cycle);
    expect(q.pending()).toEqual({ active: 0, backoff: 0, unschedulable: 1 });
    await clock.advance(20_000); // nothing moves it but an event (or 5 minutes)
    expect(q.pending().unschedulable).toBe(1);
    q.moveAllToActiveOrBackoffQueue('NodeAdd');
    // Its 1 s backoff was over long ago: straight to activeQ.
    expect(q.pending()).toEqual({ active: 1, backoff: 0, unschedulable: 0 });
  });

  it('moved while still backing off: to backoffQ, flushed when the backoff ends', async () => {
    const clock = new FakeClock();
    const q = new SchedulingQueue({ clock });
    q.run();
    q.add(makePod('a'));
    const info = (await q.pop())!;
    q.addUnschedulableIfNotPresent(info, q.cycle);
    q.moveAllToActiveOrBackoffQueue('NodeUpdate');
    expect(q.pending()).toEqual({ active: 0, backoff: 1, unschedulable: 0 });
    await clock.advance(1000);
    expect(q.pending()).toEqual({ active: 1, backoff: 0, unschedulable: 0 });
  });

  it('a move event during the attempt sends the pod to backoffQ, not the unschedulable pool', async () => {
    const q = new SchedulingQueue({ clock: new FakeClock() });
    q.add(makePod('a'));
    const info = (await q.pop())!;
    q.moveAllToActiveOrBackoffQueue('AssignedPodDelete');
    q.addUnschedulableIfNotPresent(info, q.cycle);
    expect(q.pending()).toEqual({ active: 0, backoff: 1, unschedulable: 0 });
  });

  it('unschedulable pods are flushed after 5 minutes', async () => {
    const clock = new FakeClock();
    const q = new SchedulingQueue({ clock });
    q.run();
    q.add(makePod('a'));
    q.addUnschedulableIfNotPresent((await q.pop())!, q.cycle);
    await clock.advance(5 * 60_000);
    expect(q.pending().unschedulable).toBe(1);
    await clock.advance(30_000);
    expect(q.pending()).toEqual({ active: 1, backoff: 0, unschedulable: 0 });
    q.close();
  });

  it('an update that changes the spec of an unschedulable pod retries it', async () => {
    const clock = new FakeClock();
    const q = new SchedulingQueue({ clock });
    q.add(makePod('a'));
    q.addUnschedulableIfNotPresent((await q.pop())!, q.cycle);
    await clock.advance(5000);
    q.update(makePod('a', { labels: { x: 'y' } }));
    expect(q.pending().active).toBe(1);
    q.delete(makePod('a'));
    expect(q.pending()).toEqual({ active: 0, backoff: 0, unschedulable: 0 });
  });
});
