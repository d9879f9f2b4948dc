/**
 * `replicationcontroller`: the ReplicaSet controller over ReplicationControllers
 * (./conversion.ts), as upstream's ReplicationManager. Flag: --concurrent-rc-syncs (5).
 */
import { flag } from '@kubeling/runtime';
import type { ControllerDescriptor } from '../../controllerContext';
import { logSyncError } from '../../syncErrors';
import { ReplicaSetController } from '../replicaset/controller';
import { replicationControllerAdapter } from './conversion';

export const flags = {
  'concurrent-rc-syncs': flag.int({
    default: 5,
    min: 1,
    group: 'ReplicationController controller',
    description:
      'The number of replication controllers that are allowed to sync concurrently. Larger number = more responsive replica management, but more CPU (and network) load',
  }),
};

export const replicationControllerDescriptor: ControllerDescriptor = {
  name: 'replicationcontroller',
  enabledByDefault: true,
  flags,
  run: (ctx) =>
    new ReplicaSetController({
      client: ctx.client,
      factory: ctx.informers,
      recorder: ctx.recorder('replication-controller'),
      adapter: replicationControllerAdapter,
      clock: ctx.clock,
      metrics: ctx.registry,
      workers: ctx.flags['concurrentRcSyncs'] as number,
      onError: logSyncError(ctx.log, 'replicationcontroller'),
    }).run(ctx.signal),
};
