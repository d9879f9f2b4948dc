/**
 * `podgc`: deletes finished pods beyond a threshold and pods whose node is gone
 * (./podGCController.ts). Flag: --terminated-pod-gc-threshold (12500), as kube-controller-manager's.
 */
import { flag } from '@kubeling/runtime';
import type { ControllerDescriptor } from '../../controllerContext';
import type { PodGCOptions } from './podGCController';
import { PodGCController } from './podGCController';

export const flags = {
  'terminated-pod-gc-threshold': flag.int({
    default: 12500,
    group: 'Pod garbage collector controller',
    description:
      'Number of terminated pods that can exist before the terminated pod garbage collector starts deleting terminated pods. If <= 0, the terminated pod garbage collector is disabled.',
  }),
};

/** The descriptor, with upstream's fixed periods (20 s pass, 40 s quarantine) unless a test shortens them. */
export function podGCDescriptor(
  timings: Pick<PodGCOptions, 'gcCheckPeriodMs' | 'quarantineMs'> = {},
): ControllerDescriptor {
  return {
    name: 'podgc',
    enabledByDefault: true,
    flags,
    run: (ctx) =>
      new PodGCController({
        client: ctx.client,
        factory: ctx.informers,
        clock: ctx.clock,
        terminatedPodThreshold: ctx.flags['terminatedPodGcThreshold'] as number,
        ...timings,
        onError: (key, err) => ctx.log.error(`podgc ${key}`, { err: String(err) }),
      }).run(ctx.signal),
  };
}

export const podGCControllerDescriptor = podGCDescriptor();
