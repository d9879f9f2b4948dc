/**
 * `deployment`: rolls Deployments out through ReplicaSets (./controller.ts).
 * Flag: --concurrent-deployment-syncs (5), as kube-controller-manager's.
 */
import { flag } from '@kubeling/runtime';
import type { ControllerDescriptor } from '../../controllerContext';
import { logSyncError } from '../../syncErrors';
import { DeploymentController } from './controller';

export const flags = {
  'concurrent-deployment-syncs': flag.int({
    default: 5,
    min: 1,
    group: 'Deployment controller',
    description:
      'The number of deployment objects that are allowed to sync concurrently. Larger number = more responsive deployments, but more CPU (and network) load',
  }),
};

export const deploymentControllerDescriptor: ControllerDescriptor = {
  name: 'deployment',
  enabledByDefault: true,
  flags,
  run: (ctx) =>
    new DeploymentController({
      client: ctx.client,
      factory: ctx.informers,
      recorder: ctx.recorder('deployment-controller'),
      clock: ctx.clock,
      metrics: ctx.registry,
      workers: ctx.flags['concurrentDeploymentSyncs'] as number,
      onError: logSyncError(ctx.log, 'deployment'),
    }).run(ctx.signal),
};
