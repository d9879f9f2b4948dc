/**
 * A small structured logger: one line per record, `time level component msg key=value...`,
 * to stderr, so `kubeling up` log files and `docker compose logs` read the same.
 */
export type Level = 'error' | 'info' | 'debug';
const rank: Record<Level, number> = { error: 0, info: 1, debug: 2 };

export interface Logger {
  error(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  debug(msg: string, fields?: Record<string, unknown>): void;
}

function render(fields: Record<string, unknown> | undefined): string {
  if (!fields) return '';
  return Object.entries(fields)
    .map(([k, v]) => ` ${k}=${typeof v === 'string' && !/\s/.test(v) ? v : JSON.stringify(v)}`)
    .join('');
}

export function createLogger(
  component: string,
  level: Level,
  out: (line: string) => void = (l) => process.stderr.write(l),
): Logger {
  const emit = (lvl: Level) => (msg: string, fields?: Record<string, unknown>) => {
    if (rank[lvl] > rank[level]) return;
    out(`${new Date().toISOString()} ${lvl.toUpperCase()} ${component} ${msg}${render(fields)}\n`);
  };
  return { error: emit('error'), info: emit('info'), debug: emit('debug') };
}
