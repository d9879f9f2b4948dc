/**
 * ReplicationController as a ReplicaSet (kubernetes pkg/controller/replication/conversion.go):
 * upstream's ReplicationManager is the ReplicaSet controller run over RCs converted to
 * ReplicaSets; kubeling does the same. The map selector becomes `matchLabels` (equality-based:
 * every key=value must be among the pod's labels), and the status the ReplicaSet code computes
 * is written back in the RC's shape.
 */
import type {
  ReplicaSet,
  ReplicaSetStatus,
  ReplicationController,
  ReplicationControllerStatus,
} from '@kubeling/api';
import { replicationControllerKind } from '@kubeling/api';
import type { ReplicaSetAdapter } from '../replicaset/controller';

export function replicationControllerToReplicaSet(rc: ReplicationController): ReplicaSet {
  const spec: ReplicaSet['spec'] = {
    replicas: rc.spec.replicas ?? 1,
    minReadySeconds: rc.spec.minReadySeconds ?? 0,
    selector: { matchLabels: { ...(rc.spec.selector ?? {}) } },
    template: rc.spec.template ?? ({ metadata: {}, spec: { containers: [] } } as never),
  };
  const status: ReplicaSetStatus = { ...(rc.status ?? {}) };
  return {
    apiVersion: 'v1',
    kind: 'ReplicationController',
    metadata: rc.metadata,
    spec,
    status,
  };
}

export function replicationControllerWithStatus(
  rc: ReplicationController,
  status: ReplicaSetStatus,
): ReplicationController {
  const { terminatingReplicas: _unused, ...rest } = status;
  const next: ReplicationControllerStatus = rest;
  return { ...rc, status: next };
}

export const replicationControllerAdapter: ReplicaSetAdapter<ReplicationController> = {
  kind: replicationControllerKind,
  queueName: 'replicationmanager',
  toReplicaSet: replicationControllerToReplicaSet,
  withStatus: replicationControllerWithStatus,
};
