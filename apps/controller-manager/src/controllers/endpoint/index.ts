/**
 * `endpoint`: an Endpoints object for every Service with a selector (./endpointsController.ts).
 * Flag: --concurrent-endpoint-syncs (5), as kube-controller-manager's.
 */
import { flag } from '@kubeling/runtime';
import type { ControllerDescriptor } from '../../controllerContext';
import { EndpointsController } from './endpointsController';

export const flags = {
  'concurrent-endpoint-syncs': flag.int({
    default: 5,
    min: 1,
    group: 'Endpoint controller',
    description:
      'The number of endpoint syncing operations that will be done concurrently. Larger number = faster endpoint updating, but more CPU (and network) load',
  }),
};

export const endpointControllerDescriptor: ControllerDescriptor = {
  name: 'endpoint',
  enabledByDefault: true,
  flags,
  run: (ctx) =>
    new EndpointsController({
      client: ctx.client,
      factory: ctx.informers,
      recorder: ctx.recorder('endpoint-controller'),
      clock: ctx.clock,
      workers: ctx.flags['concurrentEndpointSyncs'] as number,
      onError: (key, err) => ctx.log.error(`endpoints ${key}`, { err: String(err) }),
    }).run(ctx.signal),
};
