import { hostname } from 'node:os';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { FlagError, HelpRequested, usage } from '@kubeling/runtime';
import { workspaceRoot } from '@kubeling/testing';
import { apiServerFlags, parseConfig } from './config';

describe('api-server flags', () => {
  it('has upstream names and defaults', () => {
    const c = parseConfig([], { REDIS_URL: 'redis://10.0.0.1:6379' });
    expect(c).toMatchObject({
      clusterName: 'kubeling',
      bindAddress: '127.0.0.1',
      port: 6443,
      redisUrl: 'redis://10.0.0.1:6379',
      natsUrl: 'nats://127.0.0.1:4222',
      serviceClusterIpRange: '127.96.0.0/12',
      serviceNodePortRange: '30000-32767',
      minRequestTimeout: 1800,
      maxRequestsInflight: 400,
      maxMutatingRequestsInflight: 200,
      logRetention: 100_000,
      watchBookmarkInterval: 60,
      v: 0,
      loggingFormat: 'text',
    });
    expect(c.id).toBe(`${hostname()}-${process.pid}`);
  });

  it('parses and validates values', () => {
    const c = parseConfig(
      ['--port=0', '-v', '4', '--logging-format', 'json', '--max-requests-inflight=0'],
      {},
    );
    expect(c).toMatchObject({ port: 0, v: 4, loggingFormat: 'json', maxRequestsInflight: 0 });
    expect(() => parseConfig(['--cluster-name', 'Not_A_Label'], {})).toThrow(
      new FlagError(
        'invalid argument "Not_A_Label" for "--cluster-name" flag: must be a DNS-1123 label',
      ),
    );
    expect(() => parseConfig(['--log-level=debug'], {})).toThrow('unknown flag: --log-level');
    expect(() => parseConfig(['--max-mutating-requests-inflight=-1'], {})).toThrow(
      'must be at least 0',
    );
  });

  it('generates --help from the declarations', () => {
    let help: HelpRequested | undefined;
    try {
      parseConfig(['--help'], {});
    } catch (e) {
      help = e as HelpRequested;
    }
    expect(help).toBeInstanceOf(HelpRequested);
    expect(help!.usage).toMatch(/^Usage:\n {2}api-server \[flags\]\n/);
    expect(help!.usage).toMatch(/--max-requests-inflight int +.* \(default 400\)\n/);
    expect(help!.usage).toMatch(
      /--redis-url string +The store. \(default \$REDIS_URL or redis:\/\/127.0.0.1:6379\)\n/,
    );
    expect(help!.usage).toMatch(/-v, --v int +number for the log level verbosity\n/);
  });
});

describe('docs/api-server.md', () => {
  it('shows the current --help output', () => {
    const doc = readFileSync(path.join(workspaceRoot(), 'docs/api-server.md'), 'utf8');
    expect(doc).toContain('```text\n' + usage('api-server', apiServerFlags) + '```');
  });
});
