/**
 * Deployment conditions and the progress rules (kubernetes deployment_util.go).
 *
 * Progressing reasons: NewReplicaSetCreated, FoundNewReplicaSet, ReplicaSetUpdated (some
 * progress seen: lastUpdateTime moves), NewReplicaSetAvailable (complete),
 * ProgressDeadlineExceeded (no progress for progressDeadlineSeconds since lastUpdateTime),
 * DeploymentPaused / DeploymentResumed, ReplicaSetCreateError. Available: MinimumReplicasAvailable
 * while at least replicas − maxUnavailable pods are available, else MinimumReplicasUnavailable.
 */
import type { Deployment, DeploymentCondition, DeploymentStatus } from '@kubeling/api';
import { parseTime, rfc3339 } from '@kubeling/api';
import { replicasOf } from './rollout';

export const Available = 'Available';
export const Progressing = 'Progressing';
export const ReplicaFailure = 'ReplicaFailure';

export const NewReplicaSetReason = 'NewReplicaSetCreated';
export const FoundNewRSReason = 'FoundNewReplicaSet';
export const ReplicaSetUpdatedReason = 'ReplicaSetUpdated';
export const NewRSAvailableReason = 'NewReplicaSetAvailable';
export const TimedOutReason = 'ProgressDeadlineExceeded';
export const PausedDeployReason = 'DeploymentPaused';
export const ResumedDeployReason = 'DeploymentResumed';
export const FailedRSCreateReason = 'ReplicaSetCreateError';
export const MinimumReplicasAvailable = 'MinimumReplicasAvailable';
export const MinimumReplicasUnavailable = 'MinimumReplicasUnavailable';

/** math.MaxInt32: the "no deadline" value of progressDeadlineSeconds. */
const MaxInt32 = 2147483647;

export function newCondition(
  type: string,
  status: string,
  reason: string,
  message: string,
  nowMs: number,
): DeploymentCondition {
  const now = rfc3339(nowMs);
  return { type, status, lastUpdateTime: now, lastTransitionTime: now, reason, message };
}

export function getCondition(
  status: DeploymentStatus | undefined,
  type: string,
): DeploymentCondition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

/**
 * SetDeploymentCondition: nothing changes when a condition of the same status and reason is
 * there; the transition time is kept when only the reason changes.
 */
export function setCondition(status: DeploymentStatus, cond: DeploymentCondition): void {
  const cur = getCondition(status, cond.type);
  if (cur && cur.status === cond.status && cur.reason === cond.reason) return;
  const next = { ...cond };
  if (cur && cur.status === cond.status) next.lastTransitionTime = cur.lastTransitionTime;
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== cond.type), next];
}

export function removeCondition(status: DeploymentStatus, type: string): void {
  if (!status.conditions) return;
  status.conditions = status.conditions.filter((c) => c.type !== type);
  if (status.conditions.length === 0) delete status.conditions;
}

/** HasProgressDeadline. */
export function hasProgressDeadline(d: Deployment): boolean {
  const p = d.spec.progressDeadlineSeconds;
  return p !== undefined && p !== MaxInt32;
}

/** DeploymentComplete: every replica updated and available, and the spec observed. */
export function deploymentComplete(d: Deployment, s: DeploymentStatus): boolean {
  const r = replicasOf(d);
  return (
    (s.updatedReplicas ?? 0) === r &&
    (s.replicas ?? 0) === r &&
    (s.availableReplicas ?? 0) === r &&
    (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)
  );
}

/**
 * DeploymentProgressing: compared to the Deployment's current status, more updated pods, fewer
 * old pods, more ready or more available pods.
 */
export function deploymentProgressing(d: Deployment, s: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (
    (s.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (s.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (s.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/** DeploymentTimedOut: no progress for progressDeadlineSeconds since the condition's lastUpdateTime. */
export function deploymentTimedOut(d: Deployment, s: DeploymentStatus, nowMs: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const cond = getCondition(s, Progressing);
  if (!cond) return false;
  if (cond.reason === NewRSAvailableReason) return false;
  if (cond.reason === TimedOutReason) return true;
  const from = parseTime(cond.lastUpdateTime);
  return from + (d.spec.progressDeadlineSeconds ?? 0) * 1000 < nowMs;
}
