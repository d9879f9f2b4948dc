/**
 * `replicaset`: keeps each ReplicaSet's pods at `spec.replicas` (./controller.ts).
 * Flag: --concurrent-replicaset-syncs (5), as kube-controller-manager's.
 */
import { replicaSetKind } from '@kubeling/api';
import { flag } from '@kubeling/runtime';
import type { ControllerDescriptor } from '../../controllerContext';
import { logSyncError } from '../../syncErrors';
import { ReplicaSetController, replicaSetAdapter } from './controller';

export const flags = {
  'concurrent-replicaset-syncs': flag.int({
    default: 5,
    min: 1,
    group: 'ReplicaSet controller',
    description:
      'The number of replica sets that are allowed to sync concurrently. Larger number = more responsive replica management, but more CPU (and network) load',
  }),
};

export const replicaSetControllerDescriptor: ControllerDescriptor = {
  name: 'replicaset',
  enabledByDefault: true,
  flags,
  run: (ctx) =>
    new ReplicaSetController({
      client: ctx.client,
      factory: ctx.informers,
      recorder: ctx.recorder('replicaset-controller'),
      adapter: replicaSetAdapter(replicaSetKind),
      clock: ctx.clock,
      metrics: ctx.registry,
      workers: ctx.flags['concurrentReplicasetSyncs'] as number,
      onError: logSyncError(ctx.log, 'replicaset'),
    }).run(ctx.signal),
};
