/**
 * `garbagecollector`: deletes dependents whose owners are gone and carries out the Orphan and
 * Foreground propagation policies (./garbageCollector.ts).
 * Flags: --concurrent-gc-syncs (20), --enable-garbage-collector (true), as kube-controller-manager's.
 */
import { flag } from '@kubeling/runtime';
import type { ControllerDescriptor } from '../../controllerContext';
import { schemeDiscovery } from '../../discovery';
import { GarbageCollector } from './garbageCollector';

export const flags = {
  'concurrent-gc-syncs': flag.int({
    default: 20,
    min: 1,
    group: 'Garbage collector controller',
    description: 'The number of garbage collector workers that are allowed to sync concurrently.',
  }),
  'enable-garbage-collector': flag.bool({
    default: true,
    group: 'Garbage collector controller',
    description:
      'Enables the generic garbage collector. MUST be synced with the corresponding flag of the kube-apiserver.',
  }),
};

export const garbageCollectorControllerDescriptor: ControllerDescriptor = {
  name: 'garbagecollector',
  enabledByDefault: true,
  flags,
  run: async (ctx) => {
    if (ctx.flags['enableGarbageCollector'] === false) return;
    await new GarbageCollector({
      client: ctx.client,
      factory: ctx.informers,
      discovery: schemeDiscovery(ctx.client),
      recorder: ctx.recorder('garbage-collector-controller'),
      clock: ctx.clock,
      workers: ctx.flags['concurrentGcSyncs'] as number,
      onError: (key, err) => ctx.log.error(`garbage collector: ${key}`, { err: String(err) }),
    }).run(ctx.signal);
  },
};
