/**
 * The pods-per-node component. Against a running cluster (`npx kubeling up --name dev`):
 *   node --import tsx tools/examples/src/pods-per-node/main.ts --cluster-name dev
 *   kubectl get configmap pods-per-node -n kube-system -o yaml
 * Run it twice: one replica leads; the other takes over when the leader stops or dies.
 */
import { runComponent } from '@kubeling/client';
import { PodsPerNodeController } from './controller';

runComponent({
  name: 'pods-per-node',
  options: { namespace: { type: 'string', default: 'kube-system' } },
  usage:
    '  --namespace NS                           where the ConfigMap lives (default kube-system)\n',
  run: ({ client, factory, flags, signal }) =>
    new PodsPerNodeController(client, factory, String(flags.namespace)).run(signal),
}).catch((e: unknown) => {
  console.error(`pods-per-node: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
