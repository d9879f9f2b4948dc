import { chunkHeaders, chunkOf, Reassembler, splitPayload } from './chunking';

const bytes = (n: number, fill = 7) => new Uint8Array(n).fill(fill);

describe('splitPayload', () => {
  it('keeps a message that fits whole', () => {
    const d = bytes(1000);
    expect(splitPayload(d, 1000)).toEqual([d]);
  });

  it('splits a larger one into parts that leave room for headers', () => {
    const parts = splitPayload(bytes(3000), 1024);
    expect(parts.length).toBe(4);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(1024 - 256);
    expect(parts.reduce((n, p) => n + p.length, 0)).toBe(3000);
  });
});

describe('Reassembler', () => {
  const part = (i: number, n: number, data: Uint8Array) => ({ headers: chunkHeaders(i, n), data });

  it('passes whole messages through and joins parts in order', () => {
    const r = new Reassembler();
    expect(r.push({ headers: undefined, data: bytes(3) })).toEqual(bytes(3));
    expect(r.push(part(1, 3, bytes(2, 1)))).toBeUndefined();
    expect(r.pending).toBe(true);
    expect(r.push(part(2, 3, bytes(2, 2)))).toBeUndefined();
    expect(Array.from(r.push(part(3, 3, bytes(1, 3)))!)).toEqual([1, 1, 2, 2, 3]);
    expect(r.pending).toBe(false);
  });

  it('drops an incomplete message when a part is missing or a new one starts', () => {
    const r = new Reassembler();
    r.push(part(1, 3, bytes(2)));
    expect(r.push(part(3, 3, bytes(2)))).toBeUndefined();
    expect(r.dropped).toBe(1);
    r.push(part(1, 2, bytes(2)));
    expect(r.push({ headers: undefined, data: bytes(1) })).toEqual(bytes(1));
    expect(r.dropped).toBe(2);
  });

  it('refuses messages beyond its limit and malformed headers', () => {
    const r = new Reassembler(3);
    r.push(part(1, 2, bytes(2)));
    expect(() => r.push(part(2, 2, bytes(2)))).toThrow(/exceeds 3 bytes/);
    expect(() => chunkOf({ headers: chunkHeaders(3, 2) })).toThrow(/malformed/);
  });
});
