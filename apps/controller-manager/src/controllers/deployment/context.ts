/**
 * What the sync functions of the Deployment controller share (the DeploymentController
 * struct's fields upstream): the client, the event recorder, the clock, and the writes every
 * strategy makes in the same way.
 */
import type { Clock, Deployment, ReplicaSet } from '@kubeling/api';
import { deploymentKind, replicaSetKind } from '@kubeling/api';
import type { Client, EventRecorder } from '@kubeling/client';

export interface DeploymentSyncContext {
  client: Client;
  recorder: EventRecorder;
  clock: Clock;
  /** The ReplicaSet informer's cache: getNewReplicaSet reads a colliding ReplicaSet from it. */
  getReplicaSet(namespace: string, name: string): ReplicaSet | undefined;
}

export const replicaSets = (dc: DeploymentSyncContext, namespace: string | undefined) =>
  dc.client.resource(replicaSetKind).namespace(namespace);

export const deployments = (dc: DeploymentSyncContext, namespace: string | undefined) =>
  dc.client.resource(deploymentKind).namespace(namespace);

/**
 * Writes `d.status` (UpdateStatus) and keeps `d` current: the returned resourceVersion is
 * copied into it, so a later write of the same sync does not conflict with this one.
 */
export async function updateDeploymentStatus(
  dc: DeploymentSyncContext,
  d: Deployment,
): Promise<void> {
  const updated = await deployments(dc, d.metadata.namespace).updateStatus(d);
  d.metadata.resourceVersion = updated.metadata.resourceVersion;
}

/**
 * Writes `d`'s metadata (the revision annotation). Upstream sends it with the status update;
 * the status subresource here keeps metadata as stored (as it keeps spec), so it is its own
 * update — of an unchanged spec, which does not bump the generation.
 */
export async function updateDeploymentMeta(
  dc: DeploymentSyncContext,
  d: Deployment,
): Promise<void> {
  const updated = await deployments(dc, d.metadata.namespace).update(d);
  d.metadata.resourceVersion = updated.metadata.resourceVersion;
}
