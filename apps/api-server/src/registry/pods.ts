/**
 * Pod-specific registry behaviour: graceful deletion (pod strategy CheckGracefulDelete) and the
 * pods/binding subresource the scheduler uses (assignPod in the pod registry).
 */
import type { KubeObject } from '@kubeling/api';
import {
  badRequest,
  conflict,
  hasReason,
  invalid,
  required,
  rfc3339,
  statusSuccess,
} from '@kubeling/api';
import { maxConflictRetries } from './conflictRetry';
import type { KindHooks, ResourceRegistry } from './resource';

interface PodLike extends KubeObject {
  spec?: { nodeName?: string; terminationGracePeriodSeconds?: number };
  status?: { phase?: string; conditions?: Array<Record<string, unknown>> };
}

/**
 * The watch cache's indexes of pods (upstream's pod registry Indexers): by spec.nodeName, so a
 * kubelet's `fieldSelector=spec.nodeName=<node>` list and watch touch only its node's pods.
 */
export const podIndexers = {
  'spec.nodeName': (o: KubeObject): string => (o as PodLike).spec?.nodeName ?? '',
};

/** Pods on a node wait for their kubelet; unscheduled or finished pods go at once. */
export const podHooks: KindHooks = {
  gracePeriod(obj, requested) {
    const pod = obj as PodLike;
    let period = requested ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
    if (!pod.spec?.nodeName) period = 0;
    const phase = pod.status?.phase;
    if (phase === 'Failed' || phase === 'Succeeded') period = 0;
    return period;
  },
};

interface Binding {
  metadata?: { name?: string; namespace?: string; annotations?: Record<string, string> };
  target?: { kind?: string; name?: string };
}

const bindingGR = { group: '', resource: 'pods/binding' };

/** POST pods/<name>/binding: sets spec.nodeName once and marks the pod PodScheduled. */
export async function bindPod(
  pods: ResourceRegistry,
  ns: string,
  name: string,
  body: unknown,
  nowMs: number,
  dryRun: boolean,
) {
  if (!body || typeof body !== 'object') throw badRequest('Binding body must be a JSON object');
  const binding = body as Binding;
  if (binding.metadata?.name && binding.metadata.name !== name)
    throw badRequest(
      `the name of the object (${binding.metadata.name}) does not match the name on the URL (${name})`,
    );
  const node = binding.target?.name ?? '';
  if (!node) throw invalid({ group: '', kind: 'Binding' }, name, [required('target.name')]);
  for (let attempt = 0; attempt < maxConflictRetries; attempt++) {
    const cur = (await pods.get(ns, name)) as PodLike;
    if (cur.metadata.deletionTimestamp)
      throw conflict(bindingGR, name, `pod ${name} is being deleted, cannot be assigned to a host`);
    if (cur.spec?.nodeName)
      throw conflict(
        bindingGR,
        name,
        `pod ${name} is already assigned to node "${cur.spec.nodeName}"`,
      );
    const next = structuredClone(cur);
    next.spec = { ...(next.spec ?? {}), nodeName: node };
    if (binding.metadata?.annotations)
      next.metadata.annotations = {
        ...(next.metadata.annotations ?? {}),
        ...binding.metadata.annotations,
      };
    const conditions = (next.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
    conditions.push({ type: 'PodScheduled', status: 'True', lastTransitionTime: rfc3339(nowMs) });
    next.status = { ...(next.status ?? {}), conditions };
    if (dryRun) return statusSuccess();
    try {
      await pods.writeRaw(next, cur);
      return statusSuccess();
    } catch (e) {
      if (hasReason(e, 'Conflict')) continue;
      throw e;
    }
  }
  throw conflict(bindingGR, name);
}
