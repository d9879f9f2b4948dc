/**
 * Expectations (kubernetes pkg/controller/controller_utils.go ControllerExpectations): what a
 * controller has asked the api-server to create or delete and not yet seen in its informer.
 *
 * Why: a controller that creates 3 pods for a ReplicaSet, then syncs again before its informer
 * has seen them, counts 0 pods in its cache and creates 3 more. So before the creates it calls
 * `expectCreations(rsKey, 3)`; the pod informer's add handler calls `creationObserved(rsKey)`
 * for each; `sync` acts on the count only once `satisfied(rsKey)`, and otherwise returns and
 * waits to be woken by the next observation. A create that failed will never be observed: the
 * controller lowers the expectation itself (`creationObserved` on failure, as upstream does).
 *
 * Rules, as upstream's:
 * - `satisfied(key)` is true when nothing is recorded for the key (a new owner, or one whose
 *   expectations were deleted), when every expected creation and deletion was observed (counts
 *   at or below 0: observing more than expected is fine), or when the record is older than
 *   the TTL (5 minutes): a watch event can be lost for good (a relist that found the object
 *   already gone), and a controller must not wait for it forever.
 * - `expectCreations`/`expectDeletions` replace the record and restart its TTL;
 *   `raiseExpectations` adds to a live record without restarting it.
 * - Keys are the owner's `namespace/name`; `deleteExpectations` when the owner is gone.
 */
import type { Clock } from '@kubeling/api';
import { realClock } from '@kubeling/api';

/** controller.ExpectationsTimeout: after this a record counts as satisfied. */
export const ExpectationsTimeoutMs = 5 * 60 * 1000;

export interface ControlleeExpectations {
  /** Creations still expected (may go negative: observed more than expected). */
  add: number;
  /** Deletions still expected. */
  del: number;
  /** When the record was set (clock ms). */
  timestamp: number;
}

export interface ExpectationsOptions {
  clock?: Clock;
  /** Default ExpectationsTimeoutMs (5 minutes). */
  ttlMs?: number;
}

export class ControllerExpectations {
  protected readonly clock: Clock;
  private readonly ttlMs: number;
  private readonly records = new Map<string, ControlleeExpectations>();

  constructor(opts: ExpectationsOptions = {}) {
    this.clock = opts.clock ?? realClock;
    this.ttlMs = opts.ttlMs ?? ExpectationsTimeoutMs;
  }

  /** The record for `key` (a copy), if any. */
  get(key: string): ControlleeExpectations | undefined {
    const r = this.records.get(key);
    return r ? { ...r } : undefined;
  }

  /** Whether the controller may act on its cache for `key` (see the rules at the top). */
  satisfied(key: string): boolean {
    const r = this.records.get(key);
    if (!r) return true;
    if (r.add <= 0 && r.del <= 0) return true;
    return this.clock.now() - r.timestamp > this.ttlMs;
  }

  setExpectations(key: string, add: number, del: number): void {
    this.records.set(key, { add, del, timestamp: this.clock.now() });
  }

  expectCreations(key: string, adds: number): void {
    this.setExpectations(key, adds, 0);
  }

  expectDeletions(key: string, dels: number): void {
    this.setExpectations(key, 0, dels);
  }

  /** Adds to an existing record (its TTL is not restarted); no-op without one. */
  raiseExpectations(key: string, add: number, del: number): void {
    const r = this.records.get(key);
    if (!r) return;
    r.add += add;
    r.del += del;
  }

  lowerExpectations(key: string, add: number, del: number): void {
    this.raiseExpectations(key, -add, -del);
  }

  /** One expected creation was seen (or failed, and will never be seen). */
  creationObserved(key: string): void {
    this.lowerExpectations(key, 1, 0);
  }

  /** One expected deletion was seen (or failed). */
  deletionObserved(key: string): void {
    this.lowerExpectations(key, 0, 1);
  }

  /** Forgets `key`: its owner is gone (sync found it NotFound). */
  deleteExpectations(key: string): void {
    this.records.delete(key);
  }
}

/**
 * UIDTrackingControllerExpectations: deletions are expected by the dependent's key, not only
 * counted. A dependent deleted twice (a graceful delete, then the final one), or one deleted
 * by someone else meanwhile, is observed once: only a key still in the expected set lowers the
 * count. Upstream's ReplicaSet controller uses it so a pod's update to `deletionTimestamp`
 * and its final delete do not count as two deletions.
 */
export class UIDTrackingControllerExpectations extends ControllerExpectations {
  private readonly uids = new Map<string, Set<string>>();

  /** Expects the deletion of these dependents (their keys) for `key`. */
  expectDeletionsOf(key: string, dependentKeys: readonly string[]): void {
    this.uids.set(key, new Set(dependentKeys));
    this.expectDeletions(key, dependentKeys.length);
  }

  /** The dependent `dependentKey` of `key` was seen deleted (or its delete failed). */
  deletionObservedOf(key: string, dependentKey: string): void {
    const set = this.uids.get(key);
    if (!set?.delete(dependentKey)) return;
    this.deletionObserved(key);
  }

  /** Dependents whose deletion is still expected. */
  expectedDeletions(key: string): string[] {
    return [...(this.uids.get(key) ?? [])];
  }

  override deleteExpectations(key: string): void {
    super.deleteExpectations(key);
    this.uids.delete(key);
  }
}
