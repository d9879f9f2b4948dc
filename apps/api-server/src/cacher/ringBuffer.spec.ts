import type { StoreEvent } from '@kubeling/store';
import { RingBuffer } from './ringBuffer';

function ev(rv: number): StoreEvent {
  return {
    type: 'ADDED',
    resource: '/configmaps',
    resourceVersion: String(rv),
    object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${rv}` } },
  };
}

describe('RingBuffer', () => {
  it('keeps the newest events and moves its coverage as old ones fall out', () => {
    const ring = new RingBuffer(3, 10);
    for (const rv of [12, 15, 16]) ring.push(ev(rv));
    expect(ring.covers(10)).toBe(true);
    expect(ring.covers(9)).toBe(false);
    expect(ring.since(10).map((e) => e.resourceVersion)).toEqual(['12', '15', '16']);
    expect(ring.since(13).map((e) => e.resourceVersion)).toEqual(['15', '16']);
    ring.push(ev(20));
    // 12 fell out: a watcher from 11 would miss it, one from 12 misses nothing.
    expect(ring.coveredFrom).toBe(12);
    expect(ring.covers(11)).toBe(false);
    expect(ring.since(12).map((e) => e.resourceVersion)).toEqual(['15', '16', '20']);
    expect(ring.since(20)).toEqual([]);
    expect(ring.length).toBe(3);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new RingBuffer(0, 1)).toThrow(/positive integer/);
  });
});
