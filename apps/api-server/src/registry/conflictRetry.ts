/**
 * The retry loop of upstream's GuaranteedUpdate, as the registries use it: a write that lost a
 * compare-and-swap race runs again on the new state, but only when the client did not pin a
 * resourceVersion (then the Conflict is the answer: the client's view is stale).
 */
import { hasReason } from '@kubeling/api';

/**
 * How many times an unconditional write retries after losing a race. Each lost round means
 * another writer won, so the bound is reached only under sustained contention on one object.
 */
export const maxConflictRetries = 20;

/**
 * Runs `attempt` (which reads the current state itself) again while what it throws is a lost
 * race (`retriable`, by default any Conflict), up to the bound; anything else is thrown at once.
 */
export async function retryOnConflict<T>(
  attempt: () => Promise<T>,
  retriable: (e: unknown) => boolean = isConflict,
): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (e) {
      if (i < maxConflictRetries && retriable(e)) continue;
      throw e;
    }
  }
}

export function isConflict(e: unknown): boolean {
  return hasReason(e, 'Conflict');
}
