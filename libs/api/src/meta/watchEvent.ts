/**
 * What a watch with a selector sees of one change: upstream's cacher rule
 * (cacheWatcher.convertToWatchEvent), the one copy shared by the api-server and the test fake.
 *
 *   const ev = watchEventFor({ type: 'MODIFIED', object: pod, prevObject: before }, matches);
 *   // pod newly bound to the watched node → { type: 'ADDED', object: pod }
 *
 * The new state passes the selector (never for DELETED) and/or the previous state did:
 *   - only the new one:  ADDED    (the object enters the selection: created, or bound to the node);
 *   - both:              MODIFIED (it changes inside the selection);
 *   - only the previous: DELETED  (it leaves the selection, or is deleted) with the previous
 *                        content stamped with the change's resourceVersion, so a client stores
 *                        what it last saw and still resumes from the right place;
 *   - neither:           nothing.
 * A DELETED's object is the last state itself, so a DELETED without a separate previous state
 * is judged on its object: a watcher that never saw the object never hears of its deletion.
 */
import type { KubeObject } from './objectMeta';

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface Change {
  type: ChangeType;
  /** The new state; for DELETED the last state, stamped with the delete's resourceVersion. */
  object: KubeObject;
  /** The state before (MODIFIED, DELETED). */
  prevObject?: KubeObject;
}

export interface SelectedEvent {
  type: ChangeType;
  object: KubeObject;
}

export function watchEventFor(
  change: Change,
  matches: (o: KubeObject) => boolean,
): SelectedEvent | undefined {
  const deleted = change.type === 'DELETED';
  const prev = deleted ? (change.prevObject ?? change.object) : change.prevObject;
  const nowPasses = !deleted && matches(change.object);
  const beforePasses = prev !== undefined && matches(prev);
  if (nowPasses) return { type: beforePasses ? 'MODIFIED' : 'ADDED', object: change.object };
  if (!beforePasses) return undefined;
  if (deleted) return { type: 'DELETED', object: change.object };
  const rv = change.object.metadata.resourceVersion;
  // A new object, not a mutation: `prev` is shared with other watchers.
  return {
    type: 'DELETED',
    object: { ...prev, metadata: { ...prev.metadata, resourceVersion: rv } },
  };
}
