/**
 * The api-server logs through the runtime's logger (klog text or JSON, `-v`); this module keeps
 * the short constructor tests and tools use: `createLogger('api-server', 'error')` is quiet
 * but for errors, `'debug'` is `-v 4` (every request).
 */
import type { Fields, Logger, VerboseLogger } from '@kubeling/runtime';
import { createLogger as createRuntimeLogger } from '@kubeling/runtime';

export type { Logger } from '@kubeling/runtime';

export type Level = 'error' | 'info' | 'debug';

const off: VerboseLogger = { enabled: false, info: () => {} };

/** Only warnings and errors of `inner`. */
function errorsOnly(inner: Logger): Logger {
  return {
    info: () => {},
    debug: () => {},
    V: () => off,
    warn: (msg: string, fields?: Fields) => inner.warn(msg, fields),
    error: (msg: string, fields?: Fields) => inner.error(msg, fields),
    with: (fields: Fields) => errorsOnly(inner.with(fields)),
    named: (name: string) => errorsOnly(inner.named(name)),
    verbosity: -1,
  };
}

export function createLogger(component: string, level: Level = 'info'): Logger {
  const log = createRuntimeLogger({ name: component, verbosity: level === 'debug' ? 4 : 0 });
  return level === 'error' ? errorsOnly(log) : log;
}
