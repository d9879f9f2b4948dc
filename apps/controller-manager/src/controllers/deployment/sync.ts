/**
 * What every strategy shares (kubernetes pkg/controller/deployment/sync.go): finding or
 * creating the new ReplicaSet and syncing revisions, scaling (proportionally during a
 * rollout), cleaning up old ReplicaSets beyond revisionHistoryLimit, the status, and the
 * paused and scaling-only syncs.
 */
import type { Deployment, DeploymentStatus, ReplicaSet } from '@kubeling/api';
import { hasReason, semanticEqual } from '@kubeling/api';
import { newControllerRef } from '@kubeling/client';
import { deploymentKind } from '@kubeling/api';
import type { DeploymentSyncContext } from './context';
import { replicaSets, updateDeploymentMeta, updateDeploymentStatus } from './context';
import {
  DefaultDeploymentUniqueLabelKey,
  DeprecatedRollbackTo,
  desiredReplicasOf,
  maxRevision,
  replicasAnnotationsNeedUpdate,
  setDeploymentRevision,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
} from './util/annotations';
import {
  Available,
  FailedRSCreateReason,
  FoundNewRSReason,
  getCondition,
  hasProgressDeadline,
  MinimumReplicasAvailable,
  MinimumReplicasUnavailable,
  newCondition,
  NewReplicaSetReason,
  PausedDeployReason,
  Progressing,
  ResumedDeployReason,
  setCondition,
  TimedOutReason,
} from './util/conditions';
import { computeHash } from './util/hash';
import {
  activeReplicaSets,
  bySizeNewer,
  bySizeOlder,
  byRevision,
  equalIgnoreHash,
  findActiveOrLatest,
  findNewReplicaSet,
  findOldReplicaSets,
} from './util/replicaSets';
import {
  actualReplicasSum,
  availableReplicasSum,
  getProportion,
  isRollingUpdate,
  isSaturated,
  maxSurge,
  maxUnavailable,
  newRSNewReplicas,
  readyReplicasSum,
  replicasOf,
  rsReplicas,
  specReplicasSum,
} from './util/rollout';

/** getAllReplicaSetsAndSyncRevision: the new ReplicaSet (created if asked) and all old ones. */
export async function getAllReplicaSetsAndSyncRevision(
  dc: DeploymentSyncContext,
  d: Deployment,
  rsList: ReplicaSet[],
  createIfNotExisted: boolean,
): Promise<{ newRS: ReplicaSet | undefined; oldRSs: ReplicaSet[] }> {
  const { all: oldRSs } = findOldReplicaSets(d, rsList);
  const newRS = await getNewReplicaSet(dc, d, rsList, oldRSs, createIfNotExisted);
  return { newRS, oldRSs };
}

/**
 * getNewReplicaSet: the existing new ReplicaSet with its revision and annotations brought up to
 * date, or — if asked — a new one `<deployment>-<hash>` created with its first size.
 */
export async function getNewReplicaSet(
  dc: DeploymentSyncContext,
  d: Deployment,
  rsList: ReplicaSet[],
  oldRSs: ReplicaSet[],
  createIfNotExisted: boolean,
): Promise<ReplicaSet | undefined> {
  const existing = findNewReplicaSet(d, rsList);
  const newRevision = maxRevision(oldRSs) + 1;
  const ns = d.metadata.namespace ?? '';
  const now = dc.clock.now();

  if (existing) {
    const rsCopy = structuredClone(existing);
    const annotationsUpdated = setNewReplicaSetAnnotations(
      d,
      rsCopy,
      newRevision,
      true,
      maxSurge(d),
    );
    const minReadyNeedsUpdate =
      (rsCopy.spec.minReadySeconds ?? 0) !== (d.spec.minReadySeconds ?? 0);
    if (annotationsUpdated || minReadyNeedsUpdate) {
      rsCopy.spec.minReadySeconds = d.spec.minReadySeconds ?? 0;
      return replicaSets(dc, ns).update(rsCopy);
    }
    // The revision the ReplicaSet was given when it became new.
    const revision = rsCopy.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? '';
    if (setDeploymentRevision(d, revision)) await updateDeploymentMeta(dc, d);
    // Deployments made before they had a progress condition start counting from here.
    if (hasProgressDeadline(d) && !getCondition(d.status, Progressing)) {
      setCondition(
        (d.status ??= {}),
        newCondition(
          Progressing,
          'True',
          FoundNewRSReason,
          `Found new replica set "${rsCopy.metadata.name}"`,
          now,
        ),
      );
      await updateDeploymentStatus(dc, d);
    }
    return rsCopy;
  }
  if (!createIfNotExisted) return undefined;

  const template = structuredClone(d.spec.template);
  const hash = computeHash(template, d.status?.collisionCount);
  template.metadata.labels = {
    ...(template.metadata.labels ?? {}),
    [DefaultDeploymentUniqueLabelKey]: hash,
  };
  const selector = structuredClone(d.spec.selector);
  selector.matchLabels = {
    ...(selector.matchLabels ?? {}),
    [DefaultDeploymentUniqueLabelKey]: hash,
  };
  const newRS: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata.name}-${hash}`,
      namespace: ns,
      ownerReferences: [newControllerRef(d, deploymentKind)],
      labels: { ...template.metadata.labels },
    },
    spec: { replicas: 0, minReadySeconds: d.spec.minReadySeconds ?? 0, selector, template },
    status: {},
  } as ReplicaSet;
  newRS.spec.replicas = newRSNewReplicas(d, [...oldRSs, newRS], newRS);
  setNewReplicaSetAnnotations(d, newRS, newRevision, false, maxSurge(d));

  let created: ReplicaSet;
  let alreadyExists = false;
  try {
    created = await replicaSets(dc, ns).create(newRS);
  } catch (e) {
    if (hasReason(e, 'AlreadyExists')) {
      const rs = dc.getReplicaSet(ns, newRS.metadata.name ?? '');
      if (!rs) throw e;
      const ref = rs.metadata.ownerReferences?.find((r) => r.controller);
      if (ref?.uid === d.metadata.uid && equalIgnoreHash(d.spec.template, rs.spec.template)) {
        // Ours, made by an earlier sync whose create the cache had not seen yet.
        created = rs;
        alreadyExists = true;
      } else {
        // A hash collision: another template owns the name. A new collisionCount gives a new
        // hash; the status update requeues the Deployment.
        (d.status ??= {}).collisionCount = (d.status.collisionCount ?? 0) + 1;
        await updateDeploymentStatus(dc, d);
        throw e;
      }
    } else if (hasReason(e, 'Forbidden')) {
      // The namespace is terminating, or a quota: nothing to record as a rollout failure.
      throw e;
    } else {
      const msg = `Failed to create new replica set "${newRS.metadata.name}": ${(e as Error).message}`;
      if (hasProgressDeadline(d)) {
        setCondition(
          (d.status ??= {}),
          newCondition(Progressing, 'False', FailedRSCreateReason, msg, now),
        );
        await updateDeploymentStatus(dc, d).catch(() => undefined);
      }
      dc.recorder.event(d, 'Warning', FailedRSCreateReason, msg);
      throw e;
    }
  }
  if (!alreadyExists && rsReplicas(newRS) > 0)
    dc.recorder.eventf(
      d,
      'Normal',
      'ScalingReplicaSet',
      'Scaled up replica set %s from 0 to %d',
      created.metadata.name,
      rsReplicas(newRS),
    );

  const metaChanged = setDeploymentRevision(d, String(newRevision));
  if (metaChanged) await updateDeploymentMeta(dc, d);
  if (!alreadyExists && hasProgressDeadline(d)) {
    setCondition(
      (d.status ??= {}),
      newCondition(
        Progressing,
        'True',
        NewReplicaSetReason,
        `Created new replica set "${created.metadata.name}"`,
        now,
      ),
    );
    await updateDeploymentStatus(dc, d);
  }
  return created;
}

/**
 * scaleReplicaSet: sets the size and the replica annotations; records ScalingReplicaSet
 * ("Scaled up replica set web-5d4f from 1 to 3") when the size changed. Returns whether it
 * scaled and the written ReplicaSet.
 */
export async function scaleReplicaSet(
  dc: DeploymentSyncContext,
  rs: ReplicaSet,
  newScale: number,
  d: Deployment,
): Promise<{ scaled: boolean; rs: ReplicaSet }> {
  const replicas = replicasOf(d);
  const max = replicas + maxSurge(d);
  const sizeNeedsUpdate = rsReplicas(rs) !== newScale;
  if (!sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(rs, replicas, max))
    return { scaled: false, rs };
  const oldScale = rsReplicas(rs);
  const copy = structuredClone(rs);
  copy.spec.replicas = newScale;
  setReplicasAnnotations(copy, replicas, max);
  const updated = await replicaSets(dc, rs.metadata.namespace).update(copy);
  if (sizeNeedsUpdate)
    dc.recorder.eventf(
      d,
      'Normal',
      'ScalingReplicaSet',
      'Scaled %s replica set %s from %d to %d',
      oldScale < newScale ? 'up' : 'down',
      rs.metadata.name,
      oldScale,
      newScale,
    );
  return { scaled: sizeNeedsUpdate, rs: updated };
}

/** scaleReplicaSetAndRecordEvent: nothing when the size is already right. */
export async function scaleReplicaSetAndRecordEvent(
  dc: DeploymentSyncContext,
  rs: ReplicaSet,
  newScale: number,
  d: Deployment,
): Promise<{ scaled: boolean; rs: ReplicaSet }> {
  if (rsReplicas(rs) === newScale) return { scaled: false, rs };
  return scaleReplicaSet(dc, rs, newScale, d);
}

/**
 * scale: brings the ReplicaSets to the Deployment's size. One active ReplicaSet (or none):
 * it gets the size. A saturated new ReplicaSet: the old ones go to 0. A rolling update in
 * progress: the difference is shared in proportion (see util/rollout.ts), newer ReplicaSets
 * first when adding, older first when removing.
 */
export async function scale(
  dc: DeploymentSyncContext,
  d: Deployment,
  newRS: ReplicaSet | undefined,
  oldRSs: ReplicaSet[],
): Promise<void> {
  const replicas = replicasOf(d);
  const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
  if (activeOrLatest) {
    if (rsReplicas(activeOrLatest) === replicas) return;
    await scaleReplicaSetAndRecordEvent(dc, activeOrLatest, replicas, d);
    return;
  }
  if (isSaturated(d, newRS, desiredReplicasOf)) {
    for (const old of activeReplicaSets(oldRSs)) await scaleReplicaSetAndRecordEvent(dc, old, 0, d);
    return;
  }
  if (!isRollingUpdate(d)) return;
  const all = activeReplicaSets([...oldRSs, newRS]);
  const allowed = replicas > 0 ? replicas + maxSurge(d) : 0;
  const toAdd = allowed - specReplicasSum(all);
  if (toAdd > 0) all.sort(bySizeNewer);
  else if (toAdd < 0) all.sort(bySizeOlder);
  let added = 0;
  const sizes = new Map<string, number>();
  for (const rs of all) {
    if (toAdd !== 0) {
      const p = getProportion(rs, d, toAdd, added);
      sizes.set(rs.metadata.name ?? '', rsReplicas(rs) + p);
      added += p;
    } else sizes.set(rs.metadata.name ?? '', rsReplicas(rs));
  }
  for (let i = 0; i < all.length; i++) {
    const rs = all[i]!;
    const name = rs.metadata.name ?? '';
    if (i === 0 && toAdd !== 0) {
      // The leftover of rounding goes to (or comes from) the largest.
      sizes.set(name, Math.max(0, (sizes.get(name) ?? 0) + toAdd - added));
    }
    await scaleReplicaSet(dc, rs, sizes.get(name) ?? 0, d);
  }
}

/**
 * cleanupDeployment: deletes the oldest old ReplicaSets beyond revisionHistoryLimit — only
 * those fully scaled down, observed, and not already being deleted.
 */
export async function cleanupDeployment(
  dc: DeploymentSyncContext,
  oldRSs: ReplicaSet[],
  d: Deployment,
): Promise<void> {
  const limit = d.spec.revisionHistoryLimit;
  if (limit === undefined) return;
  const cleanable = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp);
  const diff = cleanable.length - limit;
  if (diff <= 0) return;
  cleanable.sort(byRevision);
  for (let i = 0; i < diff; i++) {
    const rs = cleanable[i]!;
    if (
      (rs.status?.replicas ?? 0) !== 0 ||
      rsReplicas(rs) !== 0 ||
      (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)
    )
      continue;
    try {
      await replicaSets(dc, rs.metadata.namespace).delete(rs.metadata.name ?? '', {
        preconditions: { uid: rs.metadata.uid ?? '' },
      });
    } catch (e) {
      if (!hasReason(e, 'NotFound')) throw e;
    }
  }
}

/**
 * calculateStatus: counts over the ReplicaSets, the Available condition, the other conditions
 * carried over. Zero counts are left out, as the omitempty fields upstream serializes.
 */
export function calculateStatus(
  allRSs: ReadonlyArray<ReplicaSet | undefined>,
  newRS: ReplicaSet | undefined,
  d: Deployment,
  nowMs: number,
): DeploymentStatus {
  const available = availableReplicasSum(allRSs);
  const unavailable = Math.max(0, specReplicasSum(allRSs) - available);
  const counts: Record<string, number> = {
    observedGeneration: d.metadata.generation ?? 0,
    replicas: actualReplicasSum(allRSs),
    updatedReplicas: actualReplicasSum([newRS]),
    readyReplicas: readyReplicasSum(allRSs),
    availableReplicas: available,
    unavailableReplicas: unavailable,
  };
  const status: DeploymentStatus = {};
  for (const [k, v] of Object.entries(counts))
    if (v !== 0) (status as Record<string, number>)[k] = v;
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  if (d.status?.conditions?.length) status.conditions = d.status.conditions.map((c) => ({ ...c }));
  if (available >= replicasOf(d) - maxUnavailable(d))
    setCondition(
      status,
      newCondition(
        Available,
        'True',
        MinimumReplicasAvailable,
        'Deployment has minimum availability.',
        nowMs,
      ),
    );
  else
    setCondition(
      status,
      newCondition(
        Available,
        'False',
        MinimumReplicasUnavailable,
        'Deployment does not have minimum availability.',
        nowMs,
      ),
    );
  return status;
}

/** syncDeploymentStatus: writes the calculated status when it differs. */
export async function syncDeploymentStatus(
  dc: DeploymentSyncContext,
  allRSs: ReadonlyArray<ReplicaSet | undefined>,
  newRS: ReplicaSet | undefined,
  d: Deployment,
): Promise<void> {
  const status = calculateStatus(allRSs, newRS, d, dc.clock.now());
  if (semanticEqual(d.status ?? {}, status)) return;
  d.status = status;
  await updateDeploymentStatus(dc, d);
}

/**
 * sync: for a paused Deployment, or one only scaled — sizes the ReplicaSets (no new one is
 * created), cleans up while paused, and writes the status.
 */
export async function sync(
  dc: DeploymentSyncContext,
  d: Deployment,
  rsList: ReplicaSet[],
): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(dc, d, rsList, false);
  await scale(dc, d, newRS, oldRSs);
  if (d.spec.paused && !d.metadata.annotations?.[DeprecatedRollbackTo])
    await cleanupDeployment(dc, oldRSs, d);
  await syncDeploymentStatus(dc, [...oldRSs, newRS], newRS, d);
}

/** syncStatusOnly: a Deployment being deleted only gets its status written. */
export async function syncStatusOnly(
  dc: DeploymentSyncContext,
  d: Deployment,
  rsList: ReplicaSet[],
): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(dc, d, rsList, false);
  await syncDeploymentStatus(dc, [...oldRSs, newRS], newRS, d);
}

/**
 * isScalingEvent: some active ReplicaSet was sized for another `replicas` (its
 * desired-replicas annotation): the user scaled, which is not a new rollout.
 */
export async function isScalingEvent(
  dc: DeploymentSyncContext,
  d: Deployment,
  rsList: ReplicaSet[],
): Promise<boolean> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(dc, d, rsList, false);
  for (const rs of activeReplicaSets([...oldRSs, newRS])) {
    const desired = desiredReplicasOf(rs);
    if (desired === undefined) continue;
    if (desired !== replicasOf(d)) return true;
  }
  return false;
}

/**
 * checkPausedConditions: Progressing becomes Unknown/DeploymentPaused when paused and
 * Unknown/DeploymentResumed when resumed — unless the rollout already timed out.
 */
export async function checkPausedConditions(
  dc: DeploymentSyncContext,
  d: Deployment,
): Promise<void> {
  if (!hasProgressDeadline(d)) return;
  const cond = getCondition(d.status, Progressing);
  if (cond?.reason === TimedOutReason) return;
  const pausedCondExists = cond?.reason === PausedDeployReason;
  const now = dc.clock.now();
  if (d.spec.paused && !pausedCondExists)
    setCondition(
      (d.status ??= {}),
      newCondition(Progressing, 'Unknown', PausedDeployReason, 'Deployment is paused', now),
    );
  else if (!d.spec.paused && pausedCondExists)
    setCondition(
      (d.status ??= {}),
      newCondition(Progressing, 'Unknown', ResumedDeployReason, 'Deployment is resumed', now),
    );
  else return;
  await updateDeploymentStatus(dc, d);
}
