/**
 * `endpointslicemirroring`: mirrors the user's Endpoints of selectorless Services into
 * EndpointSlices (./endpointSliceMirroringController.ts).
 * Flags: --mirroring-concurrent-service-endpoint-syncs (5), --mirroring-max-endpoints-per-subset
 * (1000), as kube-controller-manager's.
 */
import { flag } from '@kubeling/runtime';
import type { ControllerDescriptor } from '../../controllerContext';
import { EndpointSliceMirroringController } from './endpointSliceMirroringController';

export const flags = {
  'mirroring-concurrent-service-endpoint-syncs': flag.int({
    default: 5,
    min: 1,
    group: 'EndpointSliceMirroring controller',
    description:
      'The number of service endpoint syncing operations that will be done concurrently by the endpointslice-mirroring-controller. Larger number = faster endpoint slice updating, but more CPU (and network) load. Defaults to 5.',
  }),
  'mirroring-max-endpoints-per-subset': flag.int({
    default: 1000,
    min: 1,
    max: 1000,
    group: 'EndpointSliceMirroring controller',
    description:
      'The maximum number of endpoints that will be added to an EndpointSlice by the endpointslice-mirroring-controller. More endpoints per slice will result in less endpoint slices, but larger resources. Defaults to 1000.',
  }),
};

export const endpointSliceMirroringControllerDescriptor: ControllerDescriptor = {
  name: 'endpointslicemirroring',
  enabledByDefault: true,
  flags,
  run: (ctx) =>
    new EndpointSliceMirroringController({
      client: ctx.client,
      factory: ctx.informers,
      clock: ctx.clock,
      workers: ctx.flags['mirroringConcurrentServiceEndpointSyncs'] as number,
      maxEndpointsPerSubset: ctx.flags['mirroringMaxEndpointsPerSubset'] as number,
      onError: (key, err) => ctx.log.error(`endpointslicemirroring ${key}`, { err: String(err) }),
    }).run(ctx.signal),
};
