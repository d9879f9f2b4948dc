/**
 * The pods-per-node component. Against a running cluster (`npx kubeling up --name dev`):
 *   node --import tsx tools/examples/src/pods-per-node/main.ts --cluster-name dev
 *   kubectl get configmap pods-per-node -n kube-system -o yaml
 * Run it twice: one replica leads; the other takes over when the leader stops or dies.
 * `--help` lists every flag; /metrics and /readyz are on a free port unless --secure-port says.
 */
import { runComponent } from '@kubeling/client';
import { flag, runMain } from '@kubeling/runtime';
import { PodsPerNodeController } from './controller';

runMain('pods-per-node', (signal) =>
  runComponent({
    name: 'pods-per-node',
    signal,
    flags: {
      namespace: flag.string({ default: 'kube-system', description: 'where the ConfigMap lives' }),
    },
    run: ({ client, factory, flags, signal }) =>
      new PodsPerNodeController(client, factory, flags.namespace).run(signal),
  }),
);
