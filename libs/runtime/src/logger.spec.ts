import { createLogger, klogText } from './logger';

function capture() {
  const lines: string[] = [];
  return { lines, destination: { write: (l: string) => lines.push(l) } };
}

describe('logger', () => {
  it('writes V(n) lines only when -v >= n; errors and warnings always', () => {
    const out = capture();
    const log = createLogger({ name: 'demo', verbosity: 2, destination: out.destination });
    log.info('zero');
    log.V(1).info('one');
    log.V(2).info('two');
    log.V(3).info('three');
    log.debug('debug is V(4)');
    log.warn('careful');
    log.error('failed', { err: new Error('boom') });
    expect(log.V(2).enabled).toBe(true);
    expect(log.V(3).enabled).toBe(false);
    expect(out.lines.map((l) => /"([^"]*)"/.exec(l)?.[1])).toEqual([
      'zero',
      'one',
      'two',
      'careful',
      'failed',
    ]);
  });

  it('writes klog text lines: severity, date, time, pid, name, quoted message, key="value"', () => {
    const out = capture();
    const log = createLogger({ name: 'api-server', destination: out.destination });
    log.named('nats').with({ replica: 'a' }).info('serving', { url: 'http://127.0.0.1:1', n: 3 });
    log.error('unclean stop', { err: new Error('line one\nline two') });
    const [info, error] = out.lines;
    expect(info).toMatch(
      new RegExp(
        `^I\\d{4} \\d\\d:\\d\\d:\\d\\d\\.\\d{6} +${process.pid} api-server/nats\\] "serving" replica="a" url="http://127.0.0.1:1" n=3\\n$`,
      ),
    );
    expect(error).toMatch(
      /^E\d{4} .* api-server\] "unclean stop" err=<\n\tline one\n\tline two\n >\n$/,
    );
  });

  it('writes component-base JSON with --logging-format=json: ts, logger, v, msg, fields', () => {
    const out = capture();
    const log = createLogger({
      name: 'kube-x',
      verbosity: 1,
      format: 'json',
      destination: out.destination,
    });
    const before = Date.now();
    log.V(1).info('hello', { pod: { name: 'a', namespace: 'b' } });
    log.V(2).info('hidden');
    log.error('failed', { err: new Error('boom') });
    expect(out.lines).toHaveLength(2);
    const [a, b] = out.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(a).toEqual({
      ts: expect.any(Number),
      logger: 'kube-x',
      v: 1,
      msg: 'hello',
      pod: { name: 'a', namespace: 'b' },
    });
    expect(a!.ts).toBeGreaterThanOrEqual(before);
    expect(b).toEqual({ ts: expect.any(Number), logger: 'kube-x', err: 'boom', msg: 'failed' });
  });

  it('formats single pino lines as klog text', () => {
    const ts = new Date(2026, 11, 4, 15, 28, 24, 123).getTime() + 0.456;
    expect(
      klogText(JSON.stringify({ level: 40, ts, logger: 'x', msg: 'm', a: 'b c', ok: false })),
    ).toBe(`W1204 15:28:24.123456 ${String(process.pid).padStart(7)} x] "m" a="b c" ok=false\n`);
  });
});
