/**
 * A failure the user caused or can fix (bad flag, cluster already exists, Redis unreachable).
 * main() prints it as `ERROR: <message>` and exits 1, the way kind reports its errors; any
 * other thrown error is a bug and keeps its stack.
 */
export class CliError extends Error {
  constructor(
    message: string,
    /** Extra lines printed after the ERROR line, e.g. "Run 'kubeling up --help' for usage." */
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Where a command writes. Commands never touch process.stdout directly, so tests can capture output. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
}

export const processIo: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}
