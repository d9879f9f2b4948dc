/**
 * ControllerRefManager (kubernetes pkg/controller/controller_ref_manager.go): which of the
 * objects a controller's selector matches are its own. The rules, as upstream's ClaimObject:
 *
 * - owned by another controller (a controllerRef with another uid): not ours, left alone;
 * - owned by us and still matching: ours;
 * - owned by us but no longer matching: released (our controllerRef removed), unless we are
 *   being deleted (the garbage collector then deals with it);
 * - an orphan that matches, is not being deleted, in our namespace, while we are not being
 *   deleted: adopted (our controllerRef added), after `canAdopt` re-read us from the API
 *   server — a cached owner may already be gone, and adopting for a deleted owner would hand
 *   the orphan to the garbage collector.
 *
 * Adoption and release are updates of a clone carrying the cached resourceVersion: a stale
 * cache answers 409 and the sync is retried with fresh state. NotFound means the object is gone
 * and is simply not claimed.
 */
import type { KindInfo, KubeObject, OwnerReference } from '@kubeling/api';
import { hasReason } from '@kubeling/api';
import type { ResourceClient } from '@kubeling/client';
import { getControllerOf, newControllerRef } from '@kubeling/client';

export interface ControllerRefManagerOptions<T extends KubeObject> {
  /** The owner as cached. */
  controller: KubeObject;
  controllerKind: Pick<KindInfo, 'group' | 'version' | 'kind'>;
  /** Whether an object belongs by its labels. */
  match: (obj: T) => boolean;
  /** The dependents' client, in the owner's namespace. */
  client: ResourceClient<T>;
  /**
   * RecheckDeletionTimestamp: reads the owner fresh and throws if it is gone, replaced (other
   * uid) or being deleted. Called once, before the first adoption.
   */
  canAdopt: () => Promise<void>;
}

export class ControllerRefManager<T extends KubeObject> {
  private readonly opts: ControllerRefManagerOptions<T>;
  private adoptChecked: Promise<void> | undefined;

  constructor(opts: ControllerRefManagerOptions<T>) {
    this.opts = opts;
  }

  /** ClaimObjects: the objects (from `candidates`) that are the controller's after adopting and releasing. */
  async claim(candidates: readonly T[]): Promise<T[]> {
    const claimed: T[] = [];
    const errors: unknown[] = [];
    for (const obj of candidates) {
      try {
        const mine = await this.claimObject(obj);
        if (mine) claimed.push(mine);
      } catch (e) {
        errors.push(e);
      }
    }
    if (errors.length > 0) throw errors[0];
    return claimed;
  }

  private async claimObject(obj: T): Promise<T | undefined> {
    const { controller, match } = this.opts;
    const ref = getControllerOf(obj);
    const deleting = !!controller.metadata.deletionTimestamp;
    if (ref) {
      if (ref.uid !== controller.metadata.uid) return undefined;
      if (match(obj)) return obj;
      if (deleting) return undefined;
      await this.release(obj);
      return undefined;
    }
    if (deleting || !match(obj)) return undefined;
    if (obj.metadata.deletionTimestamp) return undefined;
    if (controller.metadata.namespace && controller.metadata.namespace !== obj.metadata.namespace)
      return undefined;
    return this.adopt(obj);
  }

  private async adopt(obj: T): Promise<T | undefined> {
    this.adoptChecked ??= this.opts.canAdopt();
    await this.adoptChecked;
    const next = structuredClone(obj);
    const refs: OwnerReference[] = next.metadata.ownerReferences ?? [];
    next.metadata.ownerReferences = [
      ...refs.filter((r) => r.uid !== this.opts.controller.metadata.uid),
      newControllerRef(this.opts.controller, this.opts.controllerKind),
    ];
    try {
      return await this.opts.client.update(next);
    } catch (e) {
      if (hasReason(e, 'NotFound')) return undefined;
      throw e;
    }
  }

  private async release(obj: T): Promise<void> {
    const next = structuredClone(obj);
    next.metadata.ownerReferences = (next.metadata.ownerReferences ?? []).filter(
      (r) => r.uid !== this.opts.controller.metadata.uid,
    );
    try {
      await this.opts.client.update(next);
    } catch (e) {
      // Gone, or already changed in a way that makes it not ours: nothing left to release.
      if (hasReason(e, 'NotFound')) return;
      throw e;
    }
  }
}

/**
 * RecheckDeletionTimestamp: a canAdopt that reads the owner fresh (not from the cache) and
 * refuses when it is gone, was replaced by another object of the same name, or is being deleted.
 */
export function recheckDeletionTimestamp(
  owner: KubeObject,
  get: () => Promise<KubeObject>,
): () => Promise<void> {
  return async () => {
    const fresh = await get();
    const ns = owner.metadata.namespace ? `${owner.metadata.namespace}/` : '';
    if (fresh.metadata.uid !== owner.metadata.uid)
      throw new Error(
        `original ${ns}${owner.metadata.name} is gone: got uid ${fresh.metadata.uid}, wanted ${owner.metadata.uid}`,
      );
    if (fresh.metadata.deletionTimestamp)
      throw new Error(
        `${ns}${owner.metadata.name} has just been deleted at ${fresh.metadata.deletionTimestamp}`,
      );
  };
}
