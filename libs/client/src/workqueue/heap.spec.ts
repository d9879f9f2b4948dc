import type { HeapEntry } from './heap';
import { Heap } from './heap';

interface E extends HeapEntry {
  p: number;
}

const entry = (p: number): E => ({ p, heapIndex: -1 });
const heap = () => new Heap<E>((a, b) => a.p < b.p);

function drain(h: Heap<E>): number[] {
  const out: number[] = [];
  for (let e = h.pop(); e; e = h.pop()) out.push(e.p);
  return out;
}

describe('Heap', () => {
  it('pops in priority order, whatever the push order', () => {
    const h = heap();
    const values = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 1009);
    for (const v of values) h.push(entry(v));
    expect(h.size).toBe(1000);
    expect(h.peek()?.p).toBe(Math.min(...values));
    expect(drain(h)).toEqual([...values].sort((a, b) => a - b));
    expect(h.pop()).toBeUndefined();
  });

  it('fix moves an entry whose priority changed, up or down', () => {
    const h = heap();
    const es = [5, 10, 15, 20, 25].map(entry);
    for (const e of es) h.push(e);
    es[4]!.p = 1;
    h.fix(es[4]!);
    expect(h.peek()?.p).toBe(1);
    es[4]!.p = 30;
    h.fix(es[4]!);
    es[0]!.p = 17;
    h.fix(es[0]!);
    expect(drain(h)).toEqual([10, 15, 17, 20, 30]);
  });

  it('removes any entry, and ignores one not in it', () => {
    const h = heap();
    const es = [4, 8, 1, 9, 3, 7].map(entry);
    for (const e of es) h.push(e);
    expect(h.remove(es[1]!)).toBe(true);
    expect(es[1]!.heapIndex).toBe(-1);
    expect(h.remove(es[1]!)).toBe(false);
    expect(h.remove(entry(2))).toBe(false);
    expect(drain(h)).toEqual([1, 3, 4, 7, 9]);
  });

  it('clear empties it and marks every entry as out', () => {
    const h = heap();
    const es = [3, 1, 2].map(entry);
    for (const e of es) h.push(e);
    h.clear();
    expect(h.size).toBe(0);
    expect(es.every((e) => e.heapIndex === -1)).toBe(true);
  });
});
