import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseCriLine, readLog } from './logs';

async function collect(it: AsyncIterable<Buffer>): Promise<string> {
  let s = '';
  for await (const b of it) s += b.toString();
  return s;
}

describe('CRI log reading', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelet-logs-'));
  const file = path.join(dir, '0.log');
  const now = Date.now();
  const t = (ago: number) => new Date(now - ago).toISOString().replace('Z', '000000Z');
  beforeAll(() => {
    fs.writeFileSync(
      file,
      [
        `${t(60_000)} stdout F one`,
        `${t(30_000)} stderr P two-`,
        `${t(29_000)} stderr F continued`,
        `${t(1_000)} stdout F three`,
        '',
      ].join('\n'),
    );
  });
  afterAll(() => fs.rmSync(dir, { recursive: true }));
  const base = { follow: false, timestamps: false };
  const never = new AbortController().signal;

  it('parses a CRI line', () => {
    expect(parseCriLine('2026-01-01T00:00:00.000000001Z stdout P abc def')).toEqual({
      time: '2026-01-01T00:00:00.000000001Z',
      stream: 'stdout',
      full: false,
      text: 'abc def',
    });
  });

  it('prints the text, joins partial lines, and honours tail, since, timestamps and limit', async () => {
    expect(await collect(readLog(file, base, never, () => true))).toBe(
      'one\ntwo-continued\nthree\n',
    );
    expect(await collect(readLog(file, { ...base, tailLines: 2 }, never, () => true))).toBe(
      'two-continued\nthree\n',
    );
    expect(await collect(readLog(file, { ...base, tailLines: 0 }, never, () => true))).toBe('');
    expect(await collect(readLog(file, { ...base, sinceSeconds: 10 }, never, () => true))).toBe(
      'three\n',
    );
    expect(
      await collect(readLog(file, { ...base, timestamps: true, tailLines: 1 }, never, () => true)),
    ).toBe(`${t(1_000)} three\n`);
    expect(await collect(readLog(file, { ...base, limitBytes: 6 }, never, () => true))).toBe(
      'one\ntw',
    );
  });

  it('follows new lines until the container is done', async () => {
    let done = false;
    const it = readLog(file, { ...base, follow: true, tailLines: 0 }, never, () => done);
    const p = collect(it);
    fs.appendFileSync(file, `${new Date().toISOString()} stdout F four\n`);
    setTimeout(() => (done = true), 300);
    expect(await p).toBe('four\n');
  });
});
