/**
 * kube-controller-manager: the controllers that make a cluster converge (ReplicaSet,
 * ReplicationController, Deployment ...), leader-elected on the Lease
 * kube-system/kube-controller-manager, metrics and health on --secure-port (10257).
 *
 *   node --import tsx apps/controller-manager/src/main.ts --cluster-name dev
 *   node --import tsx apps/controller-manager/src/main.ts --cluster-name dev --controllers replicaset
 *
 * docs/controller-manager.md lists the flags (--help) and how to debug one controller.
 */
import { realClock } from '@kubeling/api';
import { runComponent } from '@kubeling/client';
import { runMain } from '@kubeling/runtime';
import { runControllers } from './controllerManager';
import { controllerDescriptors } from './controllers';
import { controllerManagerFlags } from './flags';

export const NAME = 'kube-controller-manager';

runMain(NAME, (signal) =>
  runComponent({
    name: NAME,
    signal,
    port: 10257,
    flags: controllerManagerFlags(controllerDescriptors),
    run: ({ client, factory, flags, log, registry, signal }) =>
      runControllers({
        descriptors: controllerDescriptors,
        enabled: flags.controllers,
        client,
        informers: factory,
        clock: realClock,
        log,
        registry,
        flags,
        signal,
      }),
  }),
);
