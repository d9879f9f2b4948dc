/**
 * Rollout progress (kubernetes pkg/controller/deployment/progress.go): the Progressing
 * condition during a rollout, and when to look again for a deadline.
 *
 * - complete (every replica updated and available): True / NewReplicaSetAvailable,
 *   "ReplicaSet "web-5d4f" has successfully progressed.";
 * - progress since the last status (more updated, ready or available pods, fewer old ones):
 *   True / ReplicaSetUpdated "ReplicaSet "web-5d4f" is progressing." — its lastUpdateTime moves,
 *   its lastTransitionTime is kept;
 * - no progress for progressDeadlineSeconds since that lastUpdateTime: False /
 *   ProgressDeadlineExceeded, "ReplicaSet "web-5d4f" has timed out progressing." — what
 *   `kubectl rollout status` reports as `deployment "web" exceeded its progress deadline`.
 *
 * A Deployment whose status did not change is woken when its deadline passes
 * (requeueStuckDeployment), instead of waiting for an unrelated event.
 */
import type { Deployment, ReplicaSet } from '@kubeling/api';
import { parseTime, semanticEqual } from '@kubeling/api';
import type { DeploymentSyncContext } from './context';
import { updateDeploymentStatus } from './context';
import { calculateStatus } from './sync';
import {
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  getCondition,
  hasProgressDeadline,
  newCondition,
  NewRSAvailableReason,
  Progressing,
  removeCondition,
  ReplicaFailure,
  ReplicaSetUpdatedReason,
  setCondition,
  TimedOutReason,
} from './util/conditions';

/** syncRolloutStatus: writes the status; returns when to look again (ms), if the rollout may be stuck. */
export async function syncRolloutStatus(
  dc: DeploymentSyncContext,
  allRSs: ReadonlyArray<ReplicaSet | undefined>,
  newRS: ReplicaSet | undefined,
  d: Deployment,
): Promise<number | undefined> {
  const now = dc.clock.now();
  const status = calculateStatus(allRSs, newRS, d, now);
  if (!hasProgressDeadline(d)) removeCondition(status, Progressing);
  const current = getCondition(d.status, Progressing);
  const isComplete =
    (status.replicas ?? 0) === (status.updatedReplicas ?? 0) &&
    current?.reason === NewRSAvailableReason;
  if (hasProgressDeadline(d) && !isComplete) {
    const rsName = newRS?.metadata.name;
    if (deploymentComplete(d, status)) {
      const msg = rsName
        ? `ReplicaSet "${rsName}" has successfully progressed.`
        : `Deployment "${d.metadata.name}" has successfully progressed.`;
      setCondition(status, newCondition(Progressing, 'True', NewRSAvailableReason, msg, now));
    } else if (deploymentProgressing(d, status)) {
      const msg = rsName
        ? `ReplicaSet "${rsName}" is progressing.`
        : `Deployment "${d.metadata.name}" is progressing.`;
      const cond = newCondition(Progressing, 'True', ReplicaSetUpdatedReason, msg, now);
      // Same reason again still moves lastUpdateTime (progress was seen), unlike setCondition.
      if (current) {
        if (current.status === 'True') cond.lastTransitionTime = current.lastTransitionTime;
        removeCondition(status, Progressing);
      }
      setCondition(status, cond);
    } else if (deploymentTimedOut(d, status, now)) {
      const msg = rsName
        ? `ReplicaSet "${rsName}" has timed out progressing.`
        : `Deployment "${d.metadata.name}" has timed out progressing.`;
      setCondition(status, newCondition(Progressing, 'False', TimedOutReason, msg, now));
    }
  }
  // The first failure condition of the ReplicaSets (the new one first) becomes the Deployment's.
  const failure = replicaFailure(allRSs, newRS);
  if (failure) setCondition(status, { ...failure, lastUpdateTime: failure.lastTransitionTime });
  else removeCondition(status, ReplicaFailure);

  if (semanticEqual(d.status ?? {}, status)) return requeueStuckDeployment(d, status, now);
  d.status = status;
  await updateDeploymentStatus(dc, d);
  return undefined;
}

/** getReplicaFailures: the ReplicaFailure condition of the new ReplicaSet, else of an old one. */
function replicaFailure(
  allRSs: ReadonlyArray<ReplicaSet | undefined>,
  newRS: ReplicaSet | undefined,
) {
  const of = (rs: ReplicaSet | undefined) =>
    rs?.status?.conditions?.find((c) => c.type === ReplicaFailure);
  const first = of(newRS);
  if (first) return first;
  for (const rs of allRSs) {
    const c = of(rs);
    if (c) return c;
  }
  return undefined;
}

/**
 * requeueStuckDeployment: ms until the progress deadline of a rollout that is neither complete
 * nor timed out (at least 1 ms: "now" when it is less than a second away, as upstream uses its
 * rate limiter then); undefined when there is nothing to wait for.
 */
export function requeueStuckDeployment(
  d: Deployment,
  status: Deployment['status'],
  nowMs: number,
): number | undefined {
  const current = getCondition(d.status, Progressing);
  if (!hasProgressDeadline(d) || !current) return undefined;
  if (deploymentComplete(d, status ?? {}) || current.reason === TimedOutReason) return undefined;
  const after =
    parseTime(current.lastUpdateTime) + (d.spec.progressDeadlineSeconds ?? 0) * 1000 - nowMs;
  if (Number.isNaN(after)) return undefined;
  // Deadlines are compared in whole seconds (RFC 3339 times): look again just after it passed.
  return after < 1000 ? 1000 : after + 1000;
}
