/**
 * The rollout arithmetic (kubernetes pkg/controller/deployment/util/deployment_util.go), pure
 * functions so that each rule can be tested from its documented statement.
 *
 * - maxSurge rounds up and maxUnavailable rounds down (ResolveFenceposts): 25% of 10 replicas
 *   is 3 extra pods and 2 unavailable ones. If both come out 0 (a percentage rounded down to
 *   0 with maxSurge 0), maxUnavailable becomes 1, or the rollout could never move.
 * - A new ReplicaSet of a rolling update grows to at most replicas + maxSurge pods in total;
 *   of Recreate straight to replicas (NewRSNewReplicas).
 * - When a Deployment is scaled during a rollout, the pods to add or remove are shared among
 *   the active ReplicaSets in proportion to their size (GetProportion), the leftover going to
 *   the largest.
 */
import type { Deployment, ReplicaSet } from '@kubeling/api';
import { scaledValueFromIntOrPercent } from '@kubeling/api';
import { maxReplicasOf } from './annotations';

export const RollingUpdateStrategy = 'RollingUpdate';
export const RecreateStrategy = 'Recreate';

export const replicasOf = (d: Deployment): number => d.spec.replicas ?? 1;
export const rsReplicas = (rs: ReplicaSet | undefined): number => rs?.spec.replicas ?? 0;

export function isRollingUpdate(d: Deployment): boolean {
  return (d.spec.strategy?.type ?? RollingUpdateStrategy) === RollingUpdateStrategy;
}

/** ResolveFenceposts: [maxSurge, maxUnavailable] for `desired` replicas. */
export function resolveFenceposts(
  maxSurge: number | string | undefined,
  maxUnavailable: number | string | undefined,
  desired: number,
): [number, number] {
  const surge = scaledValueFromIntOrPercent(maxSurge ?? 0, desired, true);
  let unavailable = scaledValueFromIntOrPercent(maxUnavailable ?? 0, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return [surge, unavailable];
}

/** MaxSurge: 0 unless a rolling update. */
export function maxSurge(d: Deployment): number {
  if (!isRollingUpdate(d)) return 0;
  const ru = d.spec.strategy?.rollingUpdate;
  return resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, replicasOf(d))[0];
}

/** MaxUnavailable: 0 unless a rolling update of at least one replica; never above replicas. */
export function maxUnavailable(d: Deployment): number {
  const replicas = replicasOf(d);
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  const ru = d.spec.strategy?.rollingUpdate;
  const u = resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, replicas)[1];
  return Math.min(u, replicas);
}

/** GetReplicaCountForReplicaSets: the sum of spec.replicas. */
export const specReplicasSum = (rss: ReadonlyArray<ReplicaSet | undefined>): number =>
  rss.reduce((n, rs) => n + rsReplicas(rs), 0);
/** GetActualReplicaCountForReplicaSets: the sum of status.replicas. */
export const actualReplicasSum = (rss: ReadonlyArray<ReplicaSet | undefined>): number =>
  rss.reduce((n, rs) => n + (rs?.status?.replicas ?? 0), 0);
export const readyReplicasSum = (rss: ReadonlyArray<ReplicaSet | undefined>): number =>
  rss.reduce((n, rs) => n + (rs?.status?.readyReplicas ?? 0), 0);
export const availableReplicasSum = (rss: ReadonlyArray<ReplicaSet | undefined>): number =>
  rss.reduce((n, rs) => n + (rs?.status?.availableReplicas ?? 0), 0);

/** NewRSNewReplicas: how big the new ReplicaSet may be now. */
export function newRSNewReplicas(
  d: Deployment,
  allRSs: ReadonlyArray<ReplicaSet | undefined>,
  newRS: ReplicaSet,
): number {
  const replicas = replicasOf(d);
  if (!isRollingUpdate(d)) return replicas;
  const surge = maxSurge(d);
  const current = specReplicasSum(allRSs);
  const maxTotal = replicas + surge;
  if (current >= maxTotal) return rsReplicas(newRS);
  const scaleUp = Math.min(maxTotal - current, replicas - rsReplicas(newRS));
  return rsReplicas(newRS) + scaleUp;
}

/** integer.RoundToInt32: math.Round, halves away from zero. */
function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** getReplicaSetFraction: the change of `rs` if every ReplicaSet moved in proportion. */
export function replicaSetFraction(rs: ReplicaSet, d: Deployment): number {
  if (replicasOf(d) === 0) return -rsReplicas(rs);
  const deploymentReplicas = replicasOf(d) + maxSurge(d);
  // The size the Deployment had when rs was last scaled, else its current status.
  const annotated = maxReplicasOf(rs) ?? d.status?.replicas ?? 0;
  const newSize = (rsReplicas(rs) * deploymentReplicas) / annotated;
  return roundHalfAway(newSize) - rsReplicas(rs);
}

/** GetProportion: rs's share of `toAdd` (negative: to remove), given `added` so far. */
export function getProportion(
  rs: ReplicaSet | undefined,
  d: Deployment,
  toAdd: number,
  added: number,
): number {
  if (!rs || rsReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

/** IsSaturated: the new ReplicaSet is at full size and every pod of it is available. */
export function isSaturated(
  d: Deployment,
  rs: ReplicaSet | undefined,
  desiredOf: (rs: ReplicaSet) => number | undefined,
): boolean {
  if (!rs) return false;
  const desired = desiredOf(rs);
  return (
    desired === replicasOf(d) &&
    rsReplicas(rs) === replicasOf(d) &&
    (rs.status?.availableReplicas ?? 0) === replicasOf(d)
  );
}
