/**
 * `endpointslice`: EndpointSlices for every Service with a selector (./endpointSliceController.ts).
 * Flags: --concurrent-service-endpoint-syncs (5), --max-endpoints-per-slice (100), as kube-controller-manager's.
 */
import { flag } from '@kubeling/runtime';
import type { ControllerDescriptor } from '../../controllerContext';
import { EndpointSliceController } from './endpointSliceController';

export const flags = {
  'concurrent-service-endpoint-syncs': flag.int({
    default: 5,
    min: 1,
    group: 'EndpointSlice controller',
    description:
      'The number of service endpoint syncing operations that will be done concurrently. Larger number = faster endpoint slice updating, but more CPU (and network) load. Defaults to 5.',
  }),
  'max-endpoints-per-slice': flag.int({
    default: 100,
    min: 1,
    max: 1000,
    group: 'EndpointSlice controller',
    description:
      'The maximum number of endpoints that will be added to an EndpointSlice. More endpoints per slice will result in less endpoint slices, but larger resources. Defaults to 100.',
  }),
};

export const endpointSliceControllerDescriptor: ControllerDescriptor = {
  name: 'endpointslice',
  enabledByDefault: true,
  flags,
  run: (ctx) =>
    new EndpointSliceController({
      client: ctx.client,
      factory: ctx.informers,
      recorder: ctx.recorder('endpoint-slice-controller'),
      clock: ctx.clock,
      workers: ctx.flags['concurrentServiceEndpointSyncs'] as number,
      maxEndpointsPerSlice: ctx.flags['maxEndpointsPerSlice'] as number,
      onError: (key, err) => ctx.log.error(`endpointslices ${key}`, { err: String(err) }),
    }).run(ctx.signal),
};
