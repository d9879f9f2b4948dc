/**
 * Finding a Deployment's new and old ReplicaSets, and the orders they are scaled in
 * (kubernetes deployment_util.go and controller_utils.go).
 *
 * The new ReplicaSet is the oldest one whose pod template equals the Deployment's, ignoring
 * the pod-template-hash label (EqualIgnoreHash) — kubectl finds it the same way, so a
 * rollback that puts an old template back makes that old ReplicaSet the new one again.
 */
import type { Deployment, PodTemplateSpec, ReplicaSet } from '@kubeling/api';
import { parseTime, semanticEqual } from '@kubeling/api';
import { DefaultDeploymentUniqueLabelKey, revisionOf } from './annotations';
import { rsReplicas } from './rollout';

/** EqualIgnoreHash: the templates are equal once the pod-template-hash label is removed. */
export function equalIgnoreHash(a: PodTemplateSpec, b: PodTemplateSpec): boolean {
  const strip = (t: PodTemplateSpec) => {
    const c = structuredClone(t);
    if (c.metadata?.labels) {
      delete c.metadata.labels[DefaultDeploymentUniqueLabelKey];
      if (Object.keys(c.metadata.labels).length === 0) delete c.metadata.labels;
    }
    return c;
  };
  return semanticEqual(strip(a), strip(b));
}

const created = (rs: ReplicaSet) => parseTime(rs.metadata.creationTimestamp);

/** ReplicaSetsByCreationTimestamp: older first, then by name. */
export function byCreationTimestamp(a: ReplicaSet, b: ReplicaSet): number {
  const ta = created(a);
  const tb = created(b);
  if (ta !== tb && !(Number.isNaN(ta) && Number.isNaN(tb))) return ta < tb ? -1 : 1;
  return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1;
}

/** ReplicaSetsBySizeOlder: larger first; of equal size, older first. */
export function bySizeOlder(a: ReplicaSet, b: ReplicaSet): number {
  if (rsReplicas(a) === rsReplicas(b)) return byCreationTimestamp(a, b);
  return rsReplicas(b) - rsReplicas(a);
}

/** ReplicaSetsBySizeNewer: larger first; of equal size, newer first. */
export function bySizeNewer(a: ReplicaSet, b: ReplicaSet): number {
  if (rsReplicas(a) === rsReplicas(b)) return byCreationTimestamp(b, a);
  return rsReplicas(b) - rsReplicas(a);
}

/** ReplicaSetsByRevision: lower revision first, then older. */
export function byRevision(a: ReplicaSet, b: ReplicaSet): number {
  const ra = revisionOf(a);
  const rb = revisionOf(b);
  if (ra === rb || (Number.isNaN(ra) && Number.isNaN(rb))) return byCreationTimestamp(a, b);
  return (Number.isNaN(ra) ? 0 : ra) - (Number.isNaN(rb) ? 0 : rb);
}

/** FindNewReplicaSet. */
export function findNewReplicaSet(
  d: Deployment,
  rss: readonly ReplicaSet[],
): ReplicaSet | undefined {
  return [...rss]
    .sort(byCreationTimestamp)
    .find((rs) => equalIgnoreHash(rs.spec.template, d.spec.template));
}

/** FindOldReplicaSets: [those with pods, all] of the ReplicaSets other than the new one. */
export function findOldReplicaSets(
  d: Deployment,
  rss: readonly ReplicaSet[],
): { withPods: ReplicaSet[]; all: ReplicaSet[] } {
  const newRS = findNewReplicaSet(d, rss);
  const all = rss.filter((rs) => !newRS || rs.metadata.uid !== newRS.metadata.uid);
  return { withPods: all.filter((rs) => rsReplicas(rs) !== 0), all };
}

/** FilterActiveReplicaSets: those with spec.replicas > 0. */
export function activeReplicaSets(rss: ReadonlyArray<ReplicaSet | undefined>): ReplicaSet[] {
  return rss.filter((rs): rs is ReplicaSet => !!rs && rsReplicas(rs) > 0);
}

/**
 * FindActiveOrLatest: the one ReplicaSet with pods, or — none having any — the new one or else
 * the newest old one; undefined when several have pods (a rollout in progress).
 */
export function findActiveOrLatest(
  newRS: ReplicaSet | undefined,
  oldRSs: ReplicaSet[],
): ReplicaSet | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const sortedOld = [...oldRSs].sort((a, b) => byCreationTimestamp(b, a));
  const active = activeReplicaSets([...sortedOld, newRS]);
  if (active.length === 0) return newRS ?? sortedOld[0];
  if (active.length === 1) return active[0];
  return undefined;
}
