import { FakeClock } from '@kubeling/api/testing';
import {
  ControllerExpectations,
  ExpectationsTimeoutMs,
  UIDTrackingControllerExpectations,
} from './expectations';

describe('ControllerExpectations', () => {
  it('is satisfied without a record, and once every expected creation is observed', () => {
    const e = new ControllerExpectations({ clock: new FakeClock() });
    expect(e.satisfied('ns/rs')).toBe(true);
    e.expectCreations('ns/rs', 2);
    expect(e.satisfied('ns/rs')).toBe(false);
    e.creationObserved('ns/rs');
    expect(e.satisfied('ns/rs')).toBe(false);
    e.creationObserved('ns/rs');
    expect(e.satisfied('ns/rs')).toBe(true);
    // Observing more than expected (someone else created one too) stays satisfied.
    e.creationObserved('ns/rs');
    expect(e.get('ns/rs')).toMatchObject({ add: -1, del: 0 });
    expect(e.satisfied('ns/rs')).toBe(true);
  });

  it('counts deletions the same way, and keys are independent', () => {
    const e = new ControllerExpectations({ clock: new FakeClock() });
    e.expectDeletions('ns/a', 1);
    e.expectCreations('ns/b', 1);
    e.deletionObserved('ns/a');
    expect(e.satisfied('ns/a')).toBe(true);
    expect(e.satisfied('ns/b')).toBe(false);
    // Lowering a key without a record is a no-op (upstream only lowers existing records).
    e.creationObserved('ns/none');
    expect(e.get('ns/none')).toBeUndefined();
  });

  it('counts as satisfied once the record is older than the 5-minute TTL', async () => {
    const clock = new FakeClock();
    const e = new ControllerExpectations({ clock });
    e.expectCreations('ns/rs', 3);
    await clock.advance(ExpectationsTimeoutMs);
    expect(e.satisfied('ns/rs')).toBe(false);
    await clock.advance(1);
    expect(e.satisfied('ns/rs')).toBe(true);
  });

  it('expect* restarts the TTL; raise adds to the live record without restarting it', async () => {
    const clock = new FakeClock();
    const e = new ControllerExpectations({ clock, ttlMs: 1000 });
    e.expectCreations('k', 1);
    await clock.advance(800);
    e.raiseExpectations('k', 2, 1);
    expect(e.get('k')).toMatchObject({ add: 3, del: 1 });
    await clock.advance(201);
    expect(e.satisfied('k')).toBe(true); // expired: raise kept the first timestamp
    e.expectCreations('k', 1);
    await clock.advance(999);
    expect(e.satisfied('k')).toBe(false);
    e.raiseExpectations('missing', 1, 0);
    expect(e.get('missing')).toBeUndefined();
  });

  it('deleteExpectations forgets a key (its owner is gone)', () => {
    const e = new ControllerExpectations({ clock: new FakeClock() });
    e.expectCreations('k', 5);
    e.deleteExpectations('k');
    expect(e.satisfied('k')).toBe(true);
    expect(e.get('k')).toBeUndefined();
  });
});

describe('UIDTrackingControllerExpectations', () => {
  it('lowers the count once per expected dependent, however often it is seen deleted', () => {
    const e = new UIDTrackingControllerExpectations({ clock: new FakeClock() });
    e.expectDeletionsOf('ns/rs', ['ns/p1', 'ns/p2']);
    expect(e.satisfied('ns/rs')).toBe(false);
    e.deletionObservedOf('ns/rs', 'ns/p1');
    e.deletionObservedOf('ns/rs', 'ns/p1'); // graceful delete, then the final one
    e.deletionObservedOf('ns/rs', 'ns/other'); // not one this controller deleted
    expect(e.get('ns/rs')).toMatchObject({ del: 1 });
    expect(e.expectedDeletions('ns/rs')).toEqual(['ns/p2']);
    e.deletionObservedOf('ns/rs', 'ns/p2');
    expect(e.satisfied('ns/rs')).toBe(true);
  });

  it('deleteExpectations also forgets the tracked keys', () => {
    const e = new UIDTrackingControllerExpectations({ clock: new FakeClock() });
    e.expectDeletionsOf('k', ['a']);
    e.deleteExpectations('k');
    expect(e.expectedDeletions('k')).toEqual([]);
    expect(e.satisfied('k')).toBe(true);
  });
});
