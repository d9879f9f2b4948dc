import { CliError } from './errors';
import { parseCommand } from './flags';

const noEnv = {};

function errorOf(argv: string[]): CliError {
  try {
    parseCommand(argv, noEnv);
  } catch (err) {
    if (err instanceof CliError) return err;
    throw err;
  }
  throw new Error(`expected ${argv.join(' ')} to be rejected`);
}

describe('parseCommand', () => {
  it('gives up its defaults', () => {
    expect(parseCommand(['up'], noEnv)).toEqual({
      kind: 'up',
      options: {
        name: 'kubeling',
        nodes: 1,
        runtime: 'process',
        apiServers: 1,
        controllerManagers: 1,
        schedulers: 1,
      },
    });
  });

  it('leaves Redis and NATS open when neither flag nor environment names them (an empty variable is unset)', () => {
    const cmd = parseCommand(['up'], { REDIS_URL: '', NATS_URL: '' });
    expect(cmd).toMatchObject({ kind: 'up' });
    expect(cmd.kind === 'up' && 'redisUrl' in cmd.options && cmd.options.redisUrl).toBeFalsy();
    expect(cmd.kind === 'up' && cmd.options.natsUrl).toBeUndefined();
  });

  it('takes Redis and NATS from REDIS_URL / NATS_URL, flags winning over them', () => {
    const env = { REDIS_URL: 'redis://10.0.0.1:7000', NATS_URL: 'nats://10.0.0.2:4333' };
    const fromEnv = parseCommand(['up'], env);
    expect(fromEnv).toMatchObject({
      options: { redisUrl: 'redis://10.0.0.1:7000', natsUrl: 'nats://10.0.0.2:4333' },
    });
    const fromFlags = parseCommand(
      ['up', '--redis-url', 'redis://h:1', '--nats-url=nats://h:2'],
      env,
    );
    expect(fromFlags).toMatchObject({
      options: { redisUrl: 'redis://h:1', natsUrl: 'nats://h:2' },
    });
  });

  it('parses every up flag', () => {
    const cmd = parseCommand(
      [
        'up',
        '--name',
        'lab-1',
        '--nodes',
        '0',
        '--runtime',
        'sim',
        '--api-servers',
        '3',
        '--port',
        '7443',
      ],
      noEnv,
    );
    expect(cmd).toMatchObject({
      kind: 'up',
      options: { name: 'lab-1', nodes: 0, runtime: 'sim', apiServers: 3, port: 7443 },
    });
  });

  it('keeps the last value of a repeated flag', () => {
    expect(parseCommand(['up', '--nodes', '2', '--nodes', '5'], noEnv)).toMatchObject({
      options: { nodes: 5 },
    });
  });

  it.each([
    [['up', '--nodes=-1'], /"-1" for "--nodes" flag: must be a whole number/],
    // As pflag does, a flag's value may start with "-" after a space too.
    [['up', '--nodes', '-1'], /"-1" for "--nodes" flag: must be a whole number/],
    [['up', '--nodes'], /^flag needs an argument: --nodes$/],
    [['up', '--nodes', '1.5'], /"1.5" for "--nodes" flag: must be a whole number/],
    [['up', '--nodes', ''], /for "--nodes" flag/],
    [['up', '--api-servers', '0'], /"0" for "--api-servers" flag: must be at least 1/],
    [['up', '--runtime', 'docker'], /"docker" for "--runtime" flag: must be one of: process, sim/],
    [['up', '--port', '70000'], /"70000" for "--port" flag: must be at most 65535/],
    [['up', '--redis-url', 'http://x'], /for "--redis-url" flag: must be a redis:\/\//],
    [['up', '--name', 'My_Cluster'], /"My_Cluster" for "--name" flag: must consist of lower case/],
    [['up', '--name', 'a.b'], /for "--name" flag/],
    [['up', '--name', 'x'.repeat(51)], /at most 50 characters/],
    [['down', '--name=-x'], /for "--name" flag/],
    [['up', '--bogus'], /^unknown flag: --bogus$/],
    [['up', '--port'], /^flag needs an argument: --port$/],
    [['up', 'extra'], /^unexpected argument "extra" for "kubeling up"$/],
    [['destroy'], /^unknown command "destroy" for "kubeling"$/],
    [['--name', 'x'], /^unknown flag: --name$/],
    [['help', 'nope'], /^unknown command "nope"/],
  ])('rejects %j', (argv, message) => {
    const err = errorOf(argv);
    expect(err.message).toMatch(message);
    expect(err.hint).toMatch(/--help' for usage/);
  });

  it('accepts --nodes 0', () => {
    expect(parseCommand(['up', '--nodes', '0'], noEnv)).toMatchObject({ options: { nodes: 0 } });
  });

  it('parses down, kubeconfig and status', () => {
    expect(parseCommand(['down'], noEnv)).toEqual({ kind: 'down', name: 'kubeling' });
    expect(parseCommand(['down', '--name', 'a'], noEnv)).toEqual({ kind: 'down', name: 'a' });
    expect(parseCommand(['down', '--keep-data'], noEnv)).toEqual({
      kind: 'down',
      name: 'kubeling',
      keepData: true,
    });
    expect(parseCommand(['kubeconfig', '--name=b'], noEnv)).toEqual({
      kind: 'kubeconfig',
      name: 'b',
    });
    expect(parseCommand(['status'], noEnv)).toEqual({ kind: 'status' });
    expect(parseCommand(['status', '--name', 'c'], noEnv)).toEqual({ kind: 'status', name: 'c' });
  });

  it('rejects flags of another command', () => {
    expect(errorOf(['down', '--nodes', '3']).message).toBe('unknown flag: --nodes');
  });

  it('recognises help in every spelling', () => {
    expect(parseCommand([], noEnv)).toEqual({ kind: 'help' });
    expect(parseCommand(['--help'], noEnv)).toEqual({ kind: 'help' });
    expect(parseCommand(['-h'], noEnv)).toEqual({ kind: 'help' });
    expect(parseCommand(['help', 'up'], noEnv)).toEqual({ kind: 'help', topic: 'up' });
    expect(parseCommand(['up', '--help'], noEnv)).toEqual({ kind: 'help', topic: 'up' });
    expect(parseCommand(['status', '-h'], noEnv)).toEqual({ kind: 'help', topic: 'status' });
    // --help wins over invalid values, as in cobra.
    expect(parseCommand(['up', '--nodes', 'x', '--help'], noEnv)).toEqual({
      kind: 'help',
      topic: 'up',
    });
  });
});
