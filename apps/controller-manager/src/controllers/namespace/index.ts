/**
 * `namespace`: empties and removes terminating namespaces (./namespaceController.ts).
 * Flags: --concurrent-namespace-syncs (10), --namespace-sync-period (5m0s), as kube-controller-manager's.
 */
import { flag } from '@kubeling/runtime';
import type { ControllerDescriptor } from '../../controllerContext';
import { schemeDiscovery } from '../../discovery';
import { NamespaceController } from './namespaceController';

export const flags = {
  'concurrent-namespace-syncs': flag.int({
    default: 10,
    min: 1,
    group: 'Namespace controller',
    description:
      'The number of namespace objects that are allowed to sync concurrently. Larger number = more responsive namespace termination, but more CPU (and network) load',
  }),
  'namespace-sync-period': flag.duration({
    default: '5m0s',
    group: 'Namespace controller',
    description: 'The period for syncing namespace life-cycle updates',
  }),
};

export const namespaceControllerDescriptor: ControllerDescriptor = {
  name: 'namespace',
  enabledByDefault: true,
  flags,
  run: (ctx) =>
    new NamespaceController({
      client: ctx.client,
      factory: ctx.informers,
      discovery: schemeDiscovery(ctx.client),
      clock: ctx.clock,
      workers: ctx.flags['concurrentNamespaceSyncs'] as number,
      resyncPeriodMs: ctx.flags['namespaceSyncPeriod'] as number,
      onError: (key, err) => ctx.log.error(`namespace ${key}`, { err: String(err) }),
    }).run(ctx.signal),
};
