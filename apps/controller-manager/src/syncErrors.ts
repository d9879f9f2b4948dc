/**
 * How a failed sync is logged. A 409 Conflict is the normal outcome of writing from a cache
 * that was a step behind (another write, often this controller's own, got there first); the key
 * is retried with fresh state at once, so it is logged at -v=4 only, as upstream's controllers
 * leave conflicts to their requeue. Anything else is an error line.
 */
import { hasReason } from '@kubeling/api';
import type { Logger } from '@kubeling/runtime';

export function logSyncError(log: Logger, what: string): (key: string, err: unknown) => void {
  return (key, err) => {
    const msg = err instanceof Error ? err.message : String(err);
    if (hasReason(err, 'Conflict'))
      log.debug(`syncing ${what} ${key} conflicted; retrying`, { err: msg });
    else log.error(`syncing ${what} ${key} failed`, { err: msg });
  };
}
