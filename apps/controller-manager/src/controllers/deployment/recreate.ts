/**
 * The Recreate strategy (kubernetes pkg/controller/deployment/recreate.go): every old
 * ReplicaSet to 0, then wait until no old pod is left (not even a terminating one, unless it
 * finished: Succeeded or Failed), only then create or scale the new ReplicaSet to `replicas`.
 * Old and new pods never run at once.
 */
import type { Deployment, Pod, ReplicaSet } from '@kubeling/api';
import type { DeploymentSyncContext } from './context';
import { syncRolloutStatus } from './progress';
import {
  cleanupDeployment,
  getAllReplicaSetsAndSyncRevision,
  scaleReplicaSetAndRecordEvent,
} from './sync';
import { deploymentComplete } from './util/conditions';
import { activeReplicaSets } from './util/replicaSets';
import { actualReplicasSum, replicasOf } from './util/rollout';

/** rolloutRecreate. `podsByRS` maps a ReplicaSet uid to its pods (getPodMapForDeployment). */
export async function rolloutRecreate(
  dc: DeploymentSyncContext,
  d: Deployment,
  rsList: ReplicaSet[],
  podsByRS: Map<string, Pod[]>,
): Promise<number | undefined> {
  let { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(dc, d, rsList, false);
  let allRSs = [...oldRSs, newRS];
  let scaledDown = false;
  for (const rs of activeReplicaSets(oldRSs))
    if ((await scaleReplicaSetAndRecordEvent(dc, rs, 0, d)).scaled) scaledDown = true;
  if (scaledDown) return syncRolloutStatus(dc, allRSs, newRS, d);
  if (oldPodsRunning(newRS, oldRSs, podsByRS)) return syncRolloutStatus(dc, allRSs, newRS, d);
  if (!newRS) {
    ({ newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(dc, d, rsList, true));
    allRSs = [...oldRSs, newRS];
  }
  if (newRS) await scaleReplicaSetAndRecordEvent(dc, newRS, replicasOf(d), d);
  if (deploymentComplete(d, d.status ?? {})) await cleanupDeployment(dc, oldRSs, d);
  return syncRolloutStatus(dc, allRSs, newRS, d);
}

/** oldPodsRunning: an old ReplicaSet still reports pods, or one of its pods has not finished. */
export function oldPodsRunning(
  newRS: ReplicaSet | undefined,
  oldRSs: ReplicaSet[],
  podsByRS: Map<string, Pod[]>,
): boolean {
  if (actualReplicasSum(oldRSs) > 0) return true;
  for (const [uid, pods] of podsByRS) {
    if (newRS && newRS.metadata.uid === uid) continue;
    for (const pod of pods) {
      const phase = pod.status?.phase;
      if (phase === 'Succeeded' || phase === 'Failed') continue;
      return true;
    }
  }
  return false;
}
