import { flag, FlagError } from './flags';
import { exitFor, HelpRequested, parseComponentFlags } from './main';

const flags = { port: flag.int({ default: 1, description: 'the port' }) };

describe('entry point outcome', () => {
  it('prints usage on stdout and exits 0 for --help', () => {
    let help: unknown;
    try {
      parseComponentFlags('demo', flags, ['--help']);
    } catch (e) {
      help = e;
    }
    expect(help).toBeInstanceOf(HelpRequested);
    const exit = exitFor('demo', help);
    expect(exit.code).toBe(0);
    expect(exit.stdout).toContain('--port int   the port (default 1)');
  });

  it('prints a flag mistake and the hint on stderr, exit 1', () => {
    let err: unknown;
    try {
      parseComponentFlags('demo', flags, ['--nope']);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FlagError);
    expect(exitFor('demo', err)).toEqual({
      code: 1,
      stderr: "Error: unknown flag: --nope\nRun 'demo --help' for usage.\n",
    });
  });

  it('exits 0 on a clean stop, 1 with the message on a failure', () => {
    expect(exitFor('demo', undefined)).toEqual({ code: 0 });
    expect(exitFor('demo', new Error('lost leadership'))).toEqual({
      code: 1,
      stderr: 'demo: lost leadership\n',
    });
  });
});
