import * as zlib from 'node:zlib';
import {
  ControlType,
  FLAG_FIN,
  FrameParser,
  HeaderCompressor,
  HeaderDeflater,
  HeaderInflater,
  dataFrame,
  decodeHeaderPairs,
  encodeHeaderPairs,
  parseIdAndValue,
  parseStreamHeaders,
  parseSynStream,
  ping,
  rstStream,
  synReply,
  synStream,
} from './spdy';
import { spdyDictionary, spdyDictionaryId } from './spdyDictionary';

describe('the SPDY/3 dictionary', () => {
  it('is the 1423 bytes whose adler32 zlib announces as 0xe3c6a7c2', () => {
    expect(spdyDictionary.length).toBe(1423);
    // zlib writes the dictionary's adler32 (DICTID) after its 2-byte header.
    const out = zlib.deflateSync(Buffer.from('x'), { dictionary: spdyDictionary });
    expect(out.readUInt32BE(2)).toBe(spdyDictionaryId);
    expect(spdyDictionaryId).toBe(0xe3c6a7c2);
  });
});

describe('header blocks', () => {
  const headers = { streamtype: ['data'], port: ['8080'], requestid: ['0'] };

  it('encode and decode the name/value pairs, several values NUL-separated', () => {
    const pairs = { a: ['1'], multi: ['x', 'y'], empty: [''] };
    expect(decodeHeaderPairs(encodeHeaderPairs(pairs))).toEqual(pairs);
    expect(() => decodeHeaderPairs(Buffer.from([0, 0, 0, 1, 0, 0, 0, 9]))).toThrow(/truncated/);
  });

  it('our stored-block stream decodes with the dictionary, block after block', async () => {
    const out = new HeaderDeflater();
    const first = out.encode(headers);
    // zlib header with FDICT and the dictionary id, once per stream.
    expect([...first.subarray(0, 6)]).toEqual([0x78, 0x20, 0xe3, 0xc6, 0xa7, 0xc2]);
    // Each block ends with the empty stored block (the sync flush Go's reader needs).
    expect([...first.subarray(first.length - 5)]).toEqual([0, 0, 0, 0xff, 0xff]);
    const second = out.encode({});
    expect(second[0]).toBe(0);
    const inflater = new HeaderInflater();
    expect(await inflater.decode(first)).toEqual(headers);
    expect(await inflater.decode(second)).toEqual({});
    expect(await inflater.decode(out.encode({ port: ['9'] }))).toEqual({ port: ['9'] });
    inflater.close();
  });

  it('what a real zlib compressor (as Go sends) writes decodes in order, sharing the window', async () => {
    const compressor = new HeaderCompressor();
    const inflater = new HeaderInflater();
    const blocks = [];
    for (let i = 0; i < 5; i++)
      blocks.push(await compressor.encode({ ...headers, requestid: [String(i)] }));
    // Later blocks refer back to earlier ones: they are much smaller.
    expect((blocks[4] as Buffer).length).toBeLessThan((blocks[0] as Buffer).length);
    const decoded = await Promise.all(blocks.map((b) => inflater.decode(b)));
    expect(decoded.map((h) => h.requestid?.[0])).toEqual(['0', '1', '2', '3', '4']);
    compressor.close();
    inflater.close();
  });

  it('a corrupt block is an error, not a crash, and so is every block after it', async () => {
    const inflater = new HeaderInflater();
    await expect(inflater.decode(Buffer.from('not zlib at all'))).rejects.toThrow();
    await expect(inflater.decode(new HeaderDeflater().encode(headers))).rejects.toThrow();
    inflater.close();
  });
});

describe('frames', () => {
  it('round-trip through the parser, whatever the chunk boundaries', () => {
    const frames = Buffer.concat([
      synStream(1, Buffer.from('hdr'), true),
      synReply(1, Buffer.from('reply')),
      dataFrame(1, Buffer.from('hello')),
      dataFrame(3, Buffer.alloc(0), true),
      rstStream(5, 5),
      ping(7),
    ]);
    const parser = new FrameParser();
    const got = [];
    for (const byte of frames) got.push(...parser.push(Buffer.from([byte])));
    expect(got).toHaveLength(6);
    const [syn, reply, data, fin, rst, pong] = got;
    expect(syn).toMatchObject({ kind: 'control', type: ControlType.SynStream, flags: FLAG_FIN });
    if (syn?.kind !== 'control') throw new Error('unreachable');
    expect(parseSynStream(syn.payload)).toMatchObject({ streamId: 1, associatedId: 0 });
    expect(parseSynStream(syn.payload).headerBlock.toString()).toBe('hdr');
    if (reply?.kind !== 'control') throw new Error('unreachable');
    expect(parseStreamHeaders(reply.payload)).toMatchObject({ streamId: 1 });
    expect(data).toMatchObject({ kind: 'data', streamId: 1, flags: 0 });
    if (data?.kind !== 'data') throw new Error('unreachable');
    expect(data.data.toString()).toBe('hello');
    expect(fin).toMatchObject({ kind: 'data', streamId: 3, flags: FLAG_FIN });
    if (rst?.kind !== 'control') throw new Error('unreachable');
    expect(parseIdAndValue(rst.payload)).toEqual({ id: 5, value: 5 });
    if (pong?.kind !== 'control') throw new Error('unreachable');
    expect(pong.type).toBe(ControlType.Ping);
    expect(pong.payload.readUInt32BE(0)).toBe(7);
  });

  it('control frames carry version 3 and a 24-bit length', () => {
    const f = synReply(9, Buffer.alloc(300));
    expect([...f.subarray(0, 4)]).toEqual([0x80, 0x03, 0x00, 0x02]);
    expect(f.readUIntBE(5, 3)).toBe(304);
  });

  it('refuses another SPDY version', () => {
    const f = ping(1);
    f.writeUInt16BE(0x8002, 0);
    expect(() => new FrameParser().push(f)).toThrow(/version 2/);
  });
});
