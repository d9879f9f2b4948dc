/**
 * The pods-per-node component. Against a running cluster (`npx kubeling up --name dev`):
 *   node --import tsx tools/examples/src/pods-per-node/main.ts --cluster-name dev
 *   kubectl get configmaps -n kube-system -l app.kubernetes.io/managed-by=pods-per-node
 * Run it twice: one replica leads; the other takes over when the leader stops or dies.
 */
import { EventBroadcaster, runComponent } from '@kubeling/client';
import { NAME, PodsPerNodeController } from './controller';

runComponent({
  name: NAME,
  options: { namespace: { type: 'string', default: 'kube-system' } },
  usage:
    '  --namespace NS                           where the ConfigMaps live (default kube-system)\n',
  run: async ({ client, factory, flags, signal }) => {
    const events = new EventBroadcaster({ client });
    const recorder = events.newRecorder({ component: NAME });
    const namespace = String(flags.namespace);
    try {
      await new PodsPerNodeController({ client, factory, namespace, recorder }).run(signal);
    } finally {
      await events.shutdown();
    }
  },
}).catch((e: unknown) => {
  console.error(`${NAME}: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
