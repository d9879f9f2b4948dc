/**
 * The ReplicaSet status a sync writes (kubernetes pkg/controller/replicaset/replica_set_utils.go
 * calculateStatus): counts over the active pods the ReplicaSet owns, and the ReplicaFailure
 * condition while creating or deleting pods fails.
 */
import type { Pod, ReplicaSet, ReplicaSetCondition, ReplicaSetStatus } from '@kubeling/api';
import { deepEqual, rfc3339, selectorMapMatches } from '@kubeling/api';
import { isPodAvailable, isPodReady } from '@kubeling/client';
import { messageOf } from '../../podControl';

export const ReplicaFailure = 'ReplicaFailure';

/** calculateStatus: `pods` are the active pods the ReplicaSet owns. */
export function calculateStatus(
  rs: ReplicaSet,
  pods: readonly Pod[],
  manageReplicasError: unknown,
  nowMs: number,
): ReplicaSetStatus {
  const templateLabels = rs.spec.template.metadata.labels ?? {};
  const minReadySeconds = rs.spec.minReadySeconds ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of pods) {
    // A pod counts as fully labeled when it carries every label of the template (it may have more).
    if (selectorMapMatches(templateLabels, pod.metadata.labels)) fullyLabeled++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReadySeconds, nowMs)) available++;
    }
  }
  let conditions = [...(rs.status?.conditions ?? [])];
  const failure = conditions.find((c) => c.type === ReplicaFailure);
  if (manageReplicasError !== undefined && !failure) {
    const diff = pods.length - (rs.spec.replicas ?? 1);
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '';
    const cond: ReplicaSetCondition = {
      type: ReplicaFailure,
      status: 'True',
      lastTransitionTime: rfc3339(nowMs),
      reason,
      message: messageOf(manageReplicasError),
    };
    conditions.push(cond);
  } else if (manageReplicasError === undefined && failure) {
    conditions = conditions.filter((c) => c.type !== ReplicaFailure);
  }
  const status: ReplicaSetStatus = {
    ...rs.status,
    replicas: pods.length,
    fullyLabeledReplicas: fullyLabeled,
    readyReplicas: ready,
    availableReplicas: available,
  };
  if (conditions.length > 0) status.conditions = conditions;
  else delete status.conditions;
  return status;
}

/** Whether updateReplicaSetStatus has anything to write. */
export function statusUnchanged(rs: ReplicaSet, next: ReplicaSetStatus): boolean {
  const cur = rs.status ?? {};
  return (
    (cur.replicas ?? 0) === next.replicas &&
    (cur.fullyLabeledReplicas ?? 0) === next.fullyLabeledReplicas &&
    (cur.readyReplicas ?? 0) === next.readyReplicas &&
    (cur.availableReplicas ?? 0) === next.availableReplicas &&
    (rs.metadata.generation ?? 0) === (cur.observedGeneration ?? 0) &&
    deepEqual(cur.conditions ?? [], next.conditions ?? [])
  );
}

/**
 * How long until the next ready-but-not-yet-available pod becomes available (minReadySeconds
 * after its Ready transition, and strictly after: +1 ms), or undefined when none is waiting.
 */
export function nextAvailableIn(
  rs: ReplicaSet,
  pods: readonly Pod[],
  nowMs: number,
): number | undefined {
  const minReadySeconds = rs.spec.minReadySeconds ?? 0;
  if (minReadySeconds <= 0) return undefined;
  let soonest: number | undefined;
  for (const pod of pods) {
    if (!isPodReady(pod) || isPodAvailable(pod, minReadySeconds, nowMs)) continue;
    const since = Date.parse(
      pod.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime ?? '',
    );
    if (Number.isNaN(since)) continue;
    const wait = since + minReadySeconds * 1000 - nowMs + 1;
    soonest = soonest === undefined ? wait : Math.min(soonest, wait);
  }
  return soonest === undefined ? undefined : Math.max(1, soonest);
}
