/**
 * The pods-per-node component. Against a running cluster (`npx kubeling up --name dev`):
 *   node --import tsx tools/examples/src/pods-per-node/main.ts --cluster-name dev
 *   kubectl get configmaps -n kube-system -l app.kubernetes.io/managed-by=pods-per-node
 * Run it twice: one replica leads; the other takes over when the leader stops or dies.
 * `--help` lists every flag; /metrics and /readyz are on a free port unless --secure-port says.
 */
import { EventBroadcaster, runComponent } from '@kubeling/client';
import { flag, runMain } from '@kubeling/runtime';
import { NAME, PodsPerNodeController } from './controller';

runMain(NAME, (signal) =>
  runComponent({
    name: NAME,
    signal,
    flags: {
      namespace: flag.string({ default: 'kube-system', description: 'where the ConfigMaps live' }),
    },
    run: async ({ client, factory, flags, signal }) => {
      const events = new EventBroadcaster({ client });
      const recorder = events.newRecorder({ component: NAME });
      try {
        await new PodsPerNodeController({
          client,
          factory,
          namespace: flags.namespace,
          recorder,
        }).run(signal);
      } finally {
        await events.shutdown();
      }
    },
  }),
);
