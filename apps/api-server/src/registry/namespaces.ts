/**
 * Namespace lifecycle, as the NamespaceLifecycle admission plugin and the namespace registry do it:
 * - content can only be created in a namespace that exists and is not terminating;
 * - the initial namespaces exist from the start and `default`, `kube-system`, `kube-public` cannot
 *   be deleted;
 * - deleting a namespace marks it Terminating (deletionTimestamp, status.phase); it disappears once
 *   its spec.finalizers are emptied through `namespaces/<name>/finalize` (the namespace controller's
 *   job, after it removed the content) and no metadata finalizers remain.
 */
import type { KindInfo, KubeObject } from '@kubeling/api';
import { defaultNamespaces, forbidden, hasReason, notFound, rfc3339 } from '@kubeling/api';
import type { StorageInterface, Watch } from '@kubeling/store';
import { resourceKey } from '@kubeling/store';
import type { DeleteOptions } from './options';
import type { Admission, DeleteResult, KindHooks, ResourceRegistry } from './resource';

const namespacesGR = { group: '', resource: 'namespaces' };
const undeletable = new Set(['default', 'kube-system', 'kube-public']);

interface NamespaceLike extends KubeObject {
  spec?: { finalizers?: string[] };
  status?: { phase?: string };
}

export function isTerminating(ns: KubeObject): boolean {
  return !!ns.metadata.deletionTimestamp || (ns as NamespaceLike).status?.phase === 'Terminating';
}

/**
 * The NamespaceLifecycle admission plugin. Like upstream it reads namespaces from a cache fed by
 * a watch (one per api-server), so admitting a create costs no store round trip; a namespace the
 * cache has not seen yet (created a moment ago, or the cache still starting) is read live.
 */
export class NamespaceLifecycle implements Admission {
  private readonly cache = new Map<string, KubeObject>();
  private watch: Watch | undefined;
  private starting: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly store: StorageInterface) {}

  /** Fills the cache and follows changes; relists when the watch ends (410, store restart). */
  start(): Promise<void> {
    this.starting ??= this.sync();
    return this.starting;
  }

  private async sync(): Promise<void> {
    const list = await this.store.list(namespacesGR, {});
    this.cache.clear();
    for (const ns of list.items) this.cache.set(ns.metadata.name ?? '', ns);
    this.watch = await this.store.watch(
      {
        resources: [resourceKey(namespacesGR)],
        fromResourceVersion: list.resourceVersion,
        onClose: () => {
          this.watch = undefined;
          if (this.closed) return;
          this.starting = undefined;
          setTimeout(() => void this.start().catch(() => undefined), 1000).unref();
        },
      },
      (ev) => {
        if (ev.type === 'DELETED') this.cache.delete(ev.object.metadata.name ?? '');
        else this.observe(ev.object);
      },
    );
  }

  /** Takes a namespace this replica just wrote, ahead of its watch event. */
  observe(ns: KubeObject): void {
    const name = ns.metadata.name ?? '';
    const known = this.cache.get(name);
    if (!known || Number(known.metadata.resourceVersion) < Number(ns.metadata.resourceVersion))
      this.cache.set(name, ns);
  }

  close(): void {
    this.closed = true;
    this.watch?.stop();
  }

  async admitCreate(info: KindInfo, obj: KubeObject): Promise<void> {
    if (!info.namespaced) return;
    const nsName = obj.metadata.namespace ?? '';
    const ns = this.cache.get(nsName) ?? (await this.store.get(namespacesGR, '', nsName));
    if (!ns) throw notFound(namespacesGR, nsName);
    if (isTerminating(ns))
      throw forbidden(
        { group: info.group, resource: info.resource },
        obj.metadata.name ?? '',
        `unable to create new content in namespace ${nsName} because it is being terminated`,
        [
          {
            reason: 'NamespaceTerminating',
            message: `namespace ${nsName} is being terminated`,
            field: 'metadata.namespace',
          },
        ],
      );
  }
}

export function namespaceHooks(clock: { now(): number }, lifecycle: NamespaceLifecycle): KindHooks {
  return {
    async delete(
      reg: ResourceRegistry,
      _ns: string,
      name: string,
      opts: DeleteOptions,
    ): Promise<DeleteResult> {
      if (undeletable.has(name)) throw forbidden(reg.gr, name, 'this namespace may not be deleted');
      const cur = (await reg.get(undefined, name)) as NamespaceLike;
      reg.checkPreconditions(cur, opts);
      const specFinalizers = cur.spec?.finalizers ?? [];
      if (specFinalizers.length === 0 && (cur.metadata.finalizers?.length ?? 0) === 0)
        return reg.genericDelete(undefined, name, opts);
      if (cur.metadata.deletionTimestamp) return { body: cur, code: 200 };
      const body = structuredClone(cur);
      body.metadata.deletionTimestamp = rfc3339(clock.now());
      body.metadata.deletionGracePeriodSeconds = 0;
      body.status = { ...(body.status ?? {}), phase: 'Terminating' };
      if (opts.dryRun) return { body, code: 200 };
      const stored = await reg.writeRaw(body, cur);
      // Content created through this replica right after must already see Terminating.
      lifecycle.observe(stored);
      return { body: stored, code: 200 };
    },
  };
}

/** Creates the initial namespaces if missing; safe to run from several replicas at once. */
export async function ensureDefaultNamespaces(reg: ResourceRegistry): Promise<void> {
  for (const name of defaultNamespaces) {
    try {
      await reg.create(
        undefined,
        { metadata: { name } },
        { dryRun: false, fieldValidation: 'Strict' },
      );
    } catch (e) {
      if (!hasReason(e, 'AlreadyExists')) throw e;
    }
  }
}

/**
 * PUT namespaces/<name>/finalize: only spec.finalizers change. A terminating namespace with no
 * finalizers left is removed.
 */
export async function finalizeNamespace(
  reg: ResourceRegistry,
  name: string,
  body: unknown,
  dryRun: boolean,
): Promise<KubeObject> {
  const cur = (await reg.get(undefined, name)) as NamespaceLike;
  const wanted = (body as NamespaceLike | null)?.spec?.finalizers ?? [];
  const next = structuredClone(cur);
  next.spec = { ...(next.spec ?? {}), finalizers: wanted };
  if (dryRun) return next;
  const stored = await reg.writeRaw(next, cur);
  if (
    stored.metadata.deletionTimestamp &&
    wanted.length === 0 &&
    (stored.metadata.finalizers?.length ?? 0) === 0
  )
    return reg.removeNow(stored);
  return stored;
}
