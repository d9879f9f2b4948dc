/**
 * Rollback (kubernetes pkg/controller/deployment/rollback.go).
 *
 * kubectl 1.32's `rollout undo` does not come here: it rolls back client-side, patching the
 * Deployment's template (and its annotations) with those of the chosen ReplicaSet, after which
 * the ordinary rollout finds that old ReplicaSet as the new one (EqualIgnoreHash) and gives it
 * revision max+1, recording its earlier revisions in revision-history (sync.ts).
 *
 * What remains here is the extensions/v1beta1 API's rollback, carried in apps/v1 as the
 * annotation `deprecated.deployment.rollback.to: <revision>` (0: the previous one): the
 * controller copies that revision's template and annotations into the Deployment and removes
 * the annotation, with the events DeploymentRollback "Rolled back deployment "web" to
 * revision 2", DeploymentRollbackRevisionNotFound or DeploymentRollbackTemplateUnchanged.
 */
import type { Deployment, ReplicaSet } from '@kubeling/api';
import type { DeploymentSyncContext } from './context';
import { deployments } from './context';
import { getAllReplicaSetsAndSyncRevision } from './sync';
import {
  DefaultDeploymentUniqueLabelKey,
  DeprecatedRollbackTo,
  lastRevision,
  revisionOf,
  skipCopyAnnotation,
} from './util/annotations';
import { equalIgnoreHash } from './util/replicaSets';

export const RollbackRevisionNotFound = 'DeploymentRollbackRevisionNotFound';
export const RollbackTemplateUnchanged = 'DeploymentRollbackTemplateUnchanged';
export const RollbackDone = 'DeploymentRollback';

/** getRollbackTo: the requested revision, or undefined (absent or not a number). */
export function getRollbackTo(d: Deployment): number | undefined {
  const v = d.metadata.annotations?.[DeprecatedRollbackTo];
  if (v === undefined || v === '' || !/^-?\d+$/.test(v)) return undefined;
  return Number(v);
}

export async function rollback(
  dc: DeploymentSyncContext,
  d: Deployment,
  rsList: ReplicaSet[],
): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(dc, d, rsList, true);
  const allRSs = [...oldRSs, ...(newRS ? [newRS] : [])];
  let revision = getRollbackTo(d) ?? 0;
  if (revision === 0) {
    revision = lastRevision(allRSs);
    if (revision === 0) {
      dc.recorder.event(d, 'Warning', RollbackRevisionNotFound, 'Unable to find last revision.');
      return clearRollbackTo(dc, d);
    }
  }
  const target = allRSs.find((rs) => revisionOf(rs) === revision);
  if (!target) {
    dc.recorder.event(
      d,
      'Warning',
      RollbackRevisionNotFound,
      'Unable to find the revision to rollback to.',
    );
    return clearRollbackTo(dc, d);
  }
  if (equalIgnoreHash(d.spec.template, target.spec.template)) {
    dc.recorder.event(
      d,
      'Warning',
      RollbackTemplateUnchanged,
      `The rollback revision contains the same template as current deployment "${d.metadata.name}"`,
    );
    return clearRollbackTo(dc, d);
  }
  // SetFromReplicaSetTemplate and SetDeploymentAnnotationsTo.
  const template = structuredClone(target.spec.template);
  if (template.metadata.labels) delete template.metadata.labels[DefaultDeploymentUniqueLabelKey];
  d.spec.template = template;
  const kept = Object.entries(d.metadata.annotations ?? {}).filter(([k]) => skipCopyAnnotation(k));
  const copied = Object.entries(target.metadata.annotations ?? {}).filter(
    ([k]) => !skipCopyAnnotation(k),
  );
  d.metadata.annotations = Object.fromEntries([...kept, ...copied]);
  await clearRollbackTo(dc, d);
  dc.recorder.event(
    d,
    'Normal',
    RollbackDone,
    `Rolled back deployment "${d.metadata.name}" to revision ${revision}`,
  );
}

/** updateDeploymentAndClearRollbackTo. */
async function clearRollbackTo(dc: DeploymentSyncContext, d: Deployment): Promise<void> {
  if (d.metadata.annotations) delete d.metadata.annotations[DeprecatedRollbackTo];
  await deployments(dc, d.metadata.namespace).update(d);
}
