import { z } from 'zod';
import { loggingFlags, servingFlags } from './componentFlags';
import type { FlagSet } from './flags';
import { flag, FlagError, flagGroup, parseFlags, usage } from './flags';

const flags = {
  ...loggingFlags,
  ...servingFlags(10259),
  'cluster-name': flag.string({
    default: 'kubeling',
    schema: z.string().regex(/^[a-z0-9-]+$/, 'must be a DNS-1123 label'),
    description: 'cluster to join',
  }),
  'nats-url': flag.string({
    default: (env) => env.NATS_URL ?? 'nats://127.0.0.1:4222',
    defaultText: '$NATS_URL or nats://127.0.0.1:4222',
    description: 'the bus',
  }),
  server: flag.string({ description: 'talk HTTP to this api-server' }),
  'leader-elect': flag.bool({ default: true, description: 'run leader election' }),
  'dry-run': flag.bool({ description: 'change nothing' }),
  'lease-duration': flag.duration({ default: '15s', description: 'lease' }),
  qps: flag.float({ default: 50, min: 0, description: 'QPS' }),
};

function values(argv: string[], env: Record<string, string> = {}) {
  const r = parseFlags(flags, argv, { env });
  if (r.help) throw new Error('unexpected help');
  return r.values;
}

function parseError(argv: string[], set: FlagSet = flags): string {
  try {
    parseFlags(set, argv, { env: {}, command: 'demo' });
  } catch (e) {
    expect(e).toBeInstanceOf(FlagError);
    return (e as Error).message;
  }
  throw new Error('no error');
}

describe('parseFlags', () => {
  it('gives every flag its typed default, keyed by camelCase name', () => {
    expect(values([])).toEqual({
      v: 0,
      loggingFormat: 'text',
      bindAddress: '127.0.0.1',
      securePort: 10259,
      clusterName: 'kubeling',
      natsUrl: 'nats://127.0.0.1:4222',
      server: undefined,
      leaderElect: true,
      dryRun: false,
      leaseDuration: 15_000,
      qps: 50,
    });
  });

  it('reads computed defaults from the environment, validated like a value', () => {
    expect(values([], { NATS_URL: 'nats://10.0.0.1:4222' }).natsUrl).toBe('nats://10.0.0.1:4222');
  });

  it('accepts pflag spellings: --f=v, --f v, -v N, -v=N, -vN', () => {
    expect(values(['--secure-port=1', '--cluster-name', 'dev']).securePort).toBe(1);
    expect(values(['--secure-port=1', '--cluster-name', 'dev']).clusterName).toBe('dev');
    expect(values(['-v', '2']).v).toBe(2);
    expect(values(['-v=3']).v).toBe(3);
    expect(values(['-v4']).v).toBe(4);
    expect(values(['--v=5']).v).toBe(5);
  });

  it('takes booleans as --f, --f=true|false, --no-f, and never eats the next word', () => {
    expect(values(['--leader-elect=false']).leaderElect).toBe(false);
    expect(values(['--no-leader-elect']).leaderElect).toBe(false);
    expect(values(['--dry-run']).dryRun).toBe(true);
    expect(values(['--dry-run=0', '--leader-elect=T']).dryRun).toBe(false);
    const r = parseFlags(flags, ['--dry-run', 'false'], { positionals: true, env: {} });
    expect(r.help === false && r.positionals).toEqual(['false']);
  });

  it('keeps the last of a repeated flag, takes a value starting with "-" after a space', () => {
    expect(values(['-v', '1', '-v', '2']).v).toBe(2);
    expect(parseError(['--secure-port', '-1'])).toBe(
      'invalid argument "-1" for "--secure-port" flag: must be at least 0',
    );
  });

  it("names the serving port as the component does (the kubelet's --port)", () => {
    const r = parseFlags(servingFlags(10250, 'port'), ['--port=0'], { env: {} });
    expect(r.help === false && r.values).toEqual({ bindAddress: '127.0.0.1', port: 0 });
  });

  it('parses durations to milliseconds and floats', () => {
    expect(values(['--lease-duration=1m30s', '--qps', '2.5'])).toMatchObject({
      leaseDuration: 90_000,
      qps: 2.5,
    });
  });

  it('reports mistakes in pflag words', () => {
    expect(parseError(['--nope'])).toBe('unknown flag: --nope');
    expect(parseError(['-x'])).toBe("unknown shorthand flag: 'x' in -x");
    expect(parseError(['--cluster-name'])).toBe('flag needs an argument: --cluster-name');
    expect(parseError(['--secure-port', 'abc'])).toBe(
      'invalid argument "abc" for "--secure-port" flag: must be a whole number',
    );
    expect(parseError(['--secure-port=70000'])).toBe(
      'invalid argument "70000" for "--secure-port" flag: must be at most 65535',
    );
    expect(parseError(['--bind-address=localhost'])).toBe(
      'invalid argument "localhost" for "--bind-address" flag: must be an IP address',
    );
    expect(parseError(['--logging-format=xml'])).toBe(
      'invalid argument "xml" for "--logging-format" flag: must be one of: text, json',
    );
    expect(parseError(['--leader-elect=maybe'])).toBe(
      'invalid argument "maybe" for "--leader-elect" flag: strconv.ParseBool: parsing "maybe": invalid syntax',
    );
    expect(parseError(['--lease-duration=15'])).toBe(
      'invalid argument "15" for "--lease-duration" flag: time: invalid duration "15"',
    );
    expect(parseError(['--cluster-name=Dev'])).toBe(
      'invalid argument "Dev" for "--cluster-name" flag: must be a DNS-1123 label',
    );
    expect(parseError(['--no-leader-elect=true'])).toBe(
      'flag --no-leader-elect does not take a value',
    );
    expect(parseError(['extra'])).toBe('"demo" does not take any arguments, got ["extra"]');
  });

  it('validates defaults computed from the environment', () => {
    const set = { port: flag.int({ default: () => 'x', description: 'p' }) };
    expect(() => parseFlags(set, [], { env: {} })).toThrow(
      'invalid argument "x" for "--port" flag: must be a whole number',
    );
  });

  it('reports --help and -h, and stops at --', () => {
    expect(parseFlags(flags, ['--v=1', '--help'])).toEqual({ help: true });
    expect(parseFlags(flags, ['-h'])).toEqual({ help: true });
    const r = parseFlags(flags, ['--', '--nope'], { positionals: true });
    expect(r.help === false && r.positionals).toEqual(['--nope']);
  });

  it('records which flags were given', () => {
    const r = parseFlags(flags, ['--no-leader-elect', '-v', '1']);
    expect(r.help === false && [...r.changed].sort()).toEqual(['leader-elect', 'v']);
  });
});

describe('flag.custom and optional computed defaults', () => {
  const custom = {
    replicas: flag.custom({
      valueName: 'int',
      default: 1,
      schema: z.string().regex(/^\d+$/, 'must be a whole number').transform(Number),
      description: 'replicas',
    }),
    'redis-url': flag.string({
      default: (env) => env['REDIS_URL'] || undefined,
      defaultText: '$REDIS_URL, else one found',
      schema: z.string().startsWith('redis://', 'must be a redis:// URL'),
      description: 'store',
    }),
  };

  it('parses with the schema and reports its message', () => {
    const r = parseFlags(custom, ['--replicas', '3'], { env: {} });
    const replicas: number = r.help ? 0 : r.values.replicas;
    expect(replicas).toBe(3);
    expect(parseError(['--replicas=-1'], custom)).toBe(
      'invalid argument "-1" for "--replicas" flag: must be a whole number',
    );
  });

  it('leaves a computed default absent when the environment gives none, typed as optional', () => {
    const r = parseFlags(custom, [], { env: { REDIS_URL: '' } });
    // A computed default that may give none types the value as string | undefined.
    const url: string | undefined = r.help ? '' : r.values.redisUrl;
    expect(url).toBeUndefined();
    const given = parseFlags(custom, [], { env: { REDIS_URL: 'redis://h:1' } });
    expect(given.help === false && given.values.redisUrl).toBe('redis://h:1');
    expect(() => parseFlags(custom, [], { env: { REDIS_URL: 'http://x' } })).toThrow(
      'invalid argument "http://x" for "--redis-url" flag: must be a redis:// URL',
    );
  });

  it('shows their defaults in --help', () => {
    const text = usage('demo', custom);
    expect(text).toMatch(/--replicas int\s+replicas \(default 1\)/);
    expect(text).toMatch(/--redis-url string\s+store \(default \$REDIS_URL, else one found\)/);
  });
});

describe('usage', () => {
  it('is generated from the declarations: names, types, defaults, groups', () => {
    const text = usage('demo', {
      ...flagGroup('Leader election', {
        'leader-elect': flag.bool({ default: true, description: 'run leader election' }),
        'lease-duration': flag.duration({ default: '15s', description: 'lease' }),
      }),
      ...loggingFlags,
      server: flag.string({ description: 'talk HTTP' }),
    });
    expect(text).toBe(
      [
        'Usage:',
        '  demo [flags]',
        '',
        'Flags:',
        '  -h, --help                      help for demo',
        '      --server string             talk HTTP',
        '',
        'Leader election flags:',
        '      --leader-elect              run leader election (default true)',
        '      --lease-duration duration   lease (default 15s)',
        '',
        'Logs flags:',
        '  -v, --v int                     number for the log level verbosity',
        '      --logging-format string     Sets the log format. Permitted formats: "json", "text". (default "text")',
        '',
      ].join('\n'),
    );
  });
});
