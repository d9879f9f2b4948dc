/**
 * The RollingUpdate strategy (kubernetes pkg/controller/deployment/rolling.go). Each sync
 * makes one step and writes the status; the ReplicaSet events bring the next:
 *
 * 1. scale the new ReplicaSet up, to at most replicas + maxSurge pods in all;
 * 2. else scale old ReplicaSets down, never below replicas − maxUnavailable available pods:
 *    first their unhealthy pods (which cost no availability), then available ones, oldest
 *    ReplicaSets first;
 * 3. once complete, delete old ReplicaSets beyond revisionHistoryLimit.
 */
import type { Deployment, ReplicaSet } from '@kubeling/api';
import type { DeploymentSyncContext } from './context';
import { syncRolloutStatus } from './progress';
import {
  cleanupDeployment,
  getAllReplicaSetsAndSyncRevision,
  scaleReplicaSetAndRecordEvent,
} from './sync';
import { deploymentComplete } from './util/conditions';
import { activeReplicaSets, byCreationTimestamp } from './util/replicaSets';
import {
  availableReplicasSum,
  maxUnavailable,
  newRSNewReplicas,
  replicasOf,
  rsReplicas,
  specReplicasSum,
} from './util/rollout';

/** rolloutRolling; returns when to look again for the progress deadline, if needed. */
export async function rolloutRolling(
  dc: DeploymentSyncContext,
  d: Deployment,
  rsList: ReplicaSet[],
): Promise<number | undefined> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(dc, d, rsList, true);
  const allRSs = [...oldRSs, newRS];
  if (newRS && (await reconcileNewReplicaSet(dc, allRSs, newRS, d)))
    return syncRolloutStatus(dc, allRSs, newRS, d);
  if (await reconcileOldReplicaSets(dc, allRSs, activeReplicaSets(oldRSs), newRS, d))
    return syncRolloutStatus(dc, allRSs, newRS, d);
  if (deploymentComplete(d, d.status ?? {})) await cleanupDeployment(dc, oldRSs, d);
  return syncRolloutStatus(dc, allRSs, newRS, d);
}

/** reconcileNewReplicaSet: true when it scaled the new ReplicaSet. */
export async function reconcileNewReplicaSet(
  dc: DeploymentSyncContext,
  allRSs: ReadonlyArray<ReplicaSet | undefined>,
  newRS: ReplicaSet,
  d: Deployment,
): Promise<boolean> {
  const replicas = replicasOf(d);
  if (rsReplicas(newRS) === replicas) return false;
  if (rsReplicas(newRS) > replicas)
    return (await scaleReplicaSetAndRecordEvent(dc, newRS, replicas, d)).scaled;
  return (await scaleReplicaSetAndRecordEvent(dc, newRS, newRSNewReplicas(d, allRSs, newRS), d))
    .scaled;
}

/**
 * How many old pods may go now (reconcileOldReplicaSets' maxScaledDown): all pods, minus the
 * minimum available, minus the new ReplicaSet's pods that are not available yet (they may
 * never be: counting them as available could take the Deployment below its minimum).
 */
export function maxScaledDown(
  d: Deployment,
  allRSs: ReadonlyArray<ReplicaSet | undefined>,
  newRS: ReplicaSet | undefined,
): number {
  const minAvailable = replicasOf(d) - maxUnavailable(d);
  const newUnavailable = rsReplicas(newRS) - (newRS?.status?.availableReplicas ?? 0);
  return specReplicasSum(allRSs) - minAvailable - newUnavailable;
}

/** reconcileOldReplicaSets: true when it scaled an old ReplicaSet down. */
export async function reconcileOldReplicaSets(
  dc: DeploymentSyncContext,
  allRSs: ReadonlyArray<ReplicaSet | undefined>,
  oldRSs: ReplicaSet[],
  newRS: ReplicaSet | undefined,
  d: Deployment,
): Promise<boolean> {
  if (specReplicasSum(oldRSs) === 0) return false;
  const max = maxScaledDown(d, allRSs, newRS);
  if (max <= 0) return false;
  const { oldRSs: cleaned, count: cleanupCount } = await cleanupUnhealthyReplicas(
    dc,
    oldRSs,
    d,
    max,
  );
  const scaledDown = await scaleDownOldReplicaSetsForRollingUpdate(
    dc,
    [...cleaned, newRS],
    cleaned,
    d,
  );
  return cleanupCount + scaledDown > 0;
}

/** cleanupUnhealthyReplicas: scales old ReplicaSets down by their unavailable pods, up to `max`. */
async function cleanupUnhealthyReplicas(
  dc: DeploymentSyncContext,
  oldRSs: ReplicaSet[],
  d: Deployment,
  max: number,
): Promise<{ oldRSs: ReplicaSet[]; count: number }> {
  const sorted = [...oldRSs].sort(byCreationTimestamp);
  let total = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (total >= max) break;
    const rs = sorted[i]!;
    const available = rs.status?.availableReplicas ?? 0;
    if (rsReplicas(rs) === 0 || rsReplicas(rs) === available) continue;
    const count = Math.min(max - total, rsReplicas(rs) - available);
    const next = rsReplicas(rs) - count;
    if (next > rsReplicas(rs))
      throw new Error(
        `when cleaning up unhealthy replicas, got invalid request to scale down ${rs.metadata.namespace}/${rs.metadata.name} ${rsReplicas(rs)} -> ${next}`,
      );
    sorted[i] = (await scaleReplicaSetAndRecordEvent(dc, rs, next, d)).rs;
    total += count;
  }
  return { oldRSs: sorted, count: total };
}

/** scaleDownOldReplicaSetsForRollingUpdate: available old pods beyond the minimum, oldest first. */
async function scaleDownOldReplicaSetsForRollingUpdate(
  dc: DeploymentSyncContext,
  allRSs: ReadonlyArray<ReplicaSet | undefined>,
  oldRSs: ReplicaSet[],
  d: Deployment,
): Promise<number> {
  const minAvailable = replicasOf(d) - maxUnavailable(d);
  const available = availableReplicasSum(allRSs);
  if (available <= minAvailable) return 0;
  const target = available - minAvailable;
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreationTimestamp)) {
    if (total >= target) break;
    if (rsReplicas(rs) === 0) continue;
    const count = Math.min(rsReplicas(rs), target - total);
    await scaleReplicaSetAndRecordEvent(dc, rs, rsReplicas(rs) - count, d);
    total += count;
  }
  return total;
}
