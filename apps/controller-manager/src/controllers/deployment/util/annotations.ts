/**
 * The Deployment annotations (kubernetes deployment_util.go):
 *
 * - `deployment.kubernetes.io/revision` on each ReplicaSet (its revision: 1 + the highest of
 *   the old ones when it becomes the new one) and on the Deployment (its new ReplicaSet's);
 * - `deployment.kubernetes.io/revision-history` on a ReplicaSet that became new again (a
 *   rollback): the revisions it had before, comma-separated, at most 2000 characters;
 * - `deployment.kubernetes.io/desired-replicas` and `max-replicas` on each ReplicaSet: the
 *   Deployment's replicas and replicas + maxSurge when the ReplicaSet was last scaled, which
 *   proportional scaling reads back;
 * - every other annotation of the Deployment (e.g. `kubernetes.io/change-cause`, which
 *   `rollout history` shows) is copied to its new ReplicaSet, except those in `skip`.
 */
import type { Deployment, ReplicaSet } from '@kubeling/api';

export const RevisionAnnotation = 'deployment.kubernetes.io/revision';
export const RevisionHistoryAnnotation = 'deployment.kubernetes.io/revision-history';
export const DesiredReplicasAnnotation = 'deployment.kubernetes.io/desired-replicas';
export const MaxReplicasAnnotation = 'deployment.kubernetes.io/max-replicas';
/** apps.DeprecatedRollbackTo: the extensions/v1beta1 rollback request, still honoured (rollback.ts). */
export const DeprecatedRollbackTo = 'deprecated.deployment.rollback.to';
export const LastAppliedConfigAnnotation = 'kubectl.kubernetes.io/last-applied-configuration';
export const ChangeCauseAnnotation = 'kubernetes.io/change-cause';
export const DefaultDeploymentUniqueLabelKey = 'pod-template-hash';

/** Maximum length of the revision-history annotation. */
export const MaxRevHistoryLengthInChars = 2000;

const skip = new Set([
  LastAppliedConfigAnnotation,
  RevisionAnnotation,
  RevisionHistoryAnnotation,
  DesiredReplicasAnnotation,
  MaxReplicasAnnotation,
  DeprecatedRollbackTo,
]);

/** skipCopyAnnotation. */
export const skipCopyAnnotation = (key: string): boolean => skip.has(key);

/** Revision: a ReplicaSet's (or Deployment's) revision; 0 when absent, NaN when unparsable. */
export function revisionOf(obj: { metadata: { annotations?: Record<string, string> } }): number {
  const v = obj.metadata.annotations?.[RevisionAnnotation];
  if (v === undefined) return 0;
  return /^\d+$/.test(v) ? Number(v) : Number.NaN;
}

/** MaxRevision: the highest revision among the ReplicaSets (unparsable ones skipped). */
export function maxRevision(rss: readonly ReplicaSet[]): number {
  let max = 0;
  for (const rs of rss) {
    const v = revisionOf(rs);
    if (!Number.isNaN(v) && v > max) max = v;
  }
  return max;
}

/** LastRevision: the second highest revision (the one before the current). */
export function lastRevision(rss: readonly ReplicaSet[]): number {
  let max = 0;
  let second = 0;
  for (const rs of rss) {
    const v = revisionOf(rs);
    if (Number.isNaN(v)) continue;
    if (v >= max) {
      second = max;
      max = v;
    } else if (v > second) second = v;
  }
  return second;
}

function intAnnotation(rs: ReplicaSet, key: string): number | undefined {
  const v = rs.metadata.annotations?.[key];
  if (v === undefined || !/^-?\d+$/.test(v)) return undefined;
  return Number(v);
}

export const desiredReplicasOf = (rs: ReplicaSet) => intAnnotation(rs, DesiredReplicasAnnotation);
export const maxReplicasOf = (rs: ReplicaSet) => intAnnotation(rs, MaxReplicasAnnotation);

/** SetReplicasAnnotations: true when something changed. */
export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  const a = (rs.metadata.annotations ??= {});
  let changed = false;
  if (a[DesiredReplicasAnnotation] !== String(desired)) {
    a[DesiredReplicasAnnotation] = String(desired);
    changed = true;
  }
  if (a[MaxReplicasAnnotation] !== String(max)) {
    a[MaxReplicasAnnotation] = String(max);
    changed = true;
  }
  return changed;
}

/** ReplicasAnnotationsNeedUpdate. */
export function replicasAnnotationsNeedUpdate(
  rs: ReplicaSet,
  desired: number,
  max: number,
): boolean {
  const a = rs.metadata.annotations ?? {};
  return (
    a[DesiredReplicasAnnotation] !== String(desired) || a[MaxReplicasAnnotation] !== String(max)
  );
}

/** copyDeploymentAnnotationsToReplicaSet: true when something changed. */
export function copyDeploymentAnnotationsToReplicaSet(d: Deployment, rs: ReplicaSet): boolean {
  const a = (rs.metadata.annotations ??= {});
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (skipCopyAnnotation(k) || a[k] === v) continue;
    a[k] = v;
    changed = true;
  }
  return changed;
}

/**
 * SetNewReplicaSetAnnotations: copies the Deployment's annotations, raises the revision to
 * `newRevision` (recording the old one in revision-history when the ReplicaSet had one: a
 * rollback to it), and on a ReplicaSet about to be created (`exists` false) the replica
 * annotations. True when something changed.
 */
export function setNewReplicaSetAnnotations(
  d: Deployment,
  rs: ReplicaSet,
  newRevision: number,
  exists: boolean,
  maxSurgeOf: number,
): boolean {
  let changed = copyDeploymentAnnotationsToReplicaSet(d, rs);
  const a = (rs.metadata.annotations ??= {});
  const had = a[RevisionAnnotation];
  const oldRevision = had === undefined || had === '' ? 0 : /^\d+$/.test(had) ? Number(had) : NaN;
  if (Number.isNaN(oldRevision)) return false;
  if (oldRevision < newRevision) {
    a[RevisionAnnotation] = String(newRevision);
    changed = true;
  }
  if (had !== undefined && had !== '' && oldRevision < newRevision) {
    const history = a[RevisionHistoryAnnotation] ?? '';
    if (history === '') a[RevisionHistoryAnnotation] = had;
    else {
      let revisions = history.split(',');
      let total = history.length + had.length + 1;
      let start = 0;
      while (total > MaxRevHistoryLengthInChars && start < revisions.length) {
        total -= (revisions[start] ?? '').length + 1;
        start++;
      }
      if (total <= MaxRevHistoryLengthInChars) {
        revisions = [...revisions.slice(start), had];
        a[RevisionHistoryAnnotation] = revisions.join(',');
      }
    }
  }
  const replicas = d.spec.replicas ?? 1;
  if (!exists && setReplicasAnnotations(rs, replicas, replicas + maxSurgeOf)) changed = true;
  return changed;
}

/** SetDeploymentRevision: true when it changed. */
export function setDeploymentRevision(d: Deployment, revision: string): boolean {
  const a = (d.metadata.annotations ??= {});
  if (a[RevisionAnnotation] === revision) return false;
  a[RevisionAnnotation] = revision;
  return true;
}
