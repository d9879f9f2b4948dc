/**
 * The one place a component's process decides its exit code. Everything below the entry
 * point returns or throws; `runMain` turns the outcome into upstream's behaviour:
 * - `--help`: the usage on stdout, exit 0 (HelpRequested);
 * - a command-line mistake: `Error: <pflag's message>` and a hint on stderr, exit 1 (FlagError);
 * - SIGTERM/SIGINT: the signal handed to `main` aborts, `main` stops cleanly, exit 0;
 *   a second signal exits at once;
 * - anything else thrown: the message on stderr, exit 1.
 *
 *   // apps/scheduler/src/main.ts
 *   runMain('kube-scheduler', (signal) => runComponent({ ..., signal }));
 */
import type { FlagSet, FlagValues, ParseOptions } from './flags';
import { FlagError, parseFlags, usage } from './flags';

/** `--help` was asked for: print `usage` on stdout and exit 0 (pflag's ErrHelp). */
export class HelpRequested extends Error {
  override readonly name = 'HelpRequested';
  constructor(readonly usage: string) {
    super('help requested');
  }
}

/** parseFlags for a component taking no positional arguments: values, or HelpRequested/FlagError. */
export function parseComponentFlags<S extends FlagSet>(
  command: string,
  flags: S,
  argv: readonly string[],
  opts: Omit<ParseOptions, 'command'> & { summary?: string } = {},
): FlagValues<S> {
  const r = parseFlags(flags, argv, { ...opts, command });
  if (r.help) throw new HelpRequested(usage(command, flags, opts.summary));
  return r.values;
}

export interface Exit {
  code: number;
  stdout?: string;
  stderr?: string;
}

/** What the process should print and exit with, given how `main` ended (pure, for tests). */
export function exitFor(command: string, outcome: unknown): Exit {
  if (outcome === undefined) return { code: 0 };
  if (outcome instanceof HelpRequested) return { code: 0, stdout: outcome.usage };
  if (outcome instanceof FlagError)
    return {
      code: 1,
      stderr: `Error: ${outcome.message}\nRun '${command} --help' for usage.\n`,
    };
  const msg = outcome instanceof Error ? outcome.message : String(outcome);
  return { code: 1, stderr: `${command}: ${msg}\n` };
}

/** Runs a component's main until it returns or throws, then exits the process accordingly. */
export function runMain(command: string, main: (signal: AbortSignal) => Promise<void>): void {
  const stop = new AbortController();
  const onSignal = () => {
    if (stop.signal.aborted) process.exit(1);
    stop.abort();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  const finish = (outcome: unknown) => {
    const exit = exitFor(command, outcome);
    // Exit explicitly (a stopped component may still hold sockets its libraries close lazily),
    // once what it prints has been flushed to a pipe.
    void Promise.all([write(process.stdout, exit.stdout), write(process.stderr, exit.stderr)]).then(
      () => process.exit(exit.code),
    );
  };
  main(stop.signal).then(
    () => finish(undefined),
    (e: unknown) => finish(e ?? new Error('failed')),
  );
}

function write(stream: NodeJS.WriteStream, text: string | undefined): Promise<void> {
  return new Promise((resolve) => (text ? stream.write(text, () => resolve()) : resolve()));
}

/** Resolves when `signal` aborts (at once if it already has). */
export function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
