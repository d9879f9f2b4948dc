/**
 * @kubernetes/client-node's typed APIs on the kinds of issue 13 (ESM-only, hence a script that
 * kinds.e2e.spec.ts runs): lists the built-in PriorityClasses, creates a ServiceAccount, reads
 * it back. Prints one JSON document with what it observed.
 *
 *   node --import tsx apps/e2e/src/clients/kindsClientNode.mts <kubeconfig> <namespace>
 */
import * as k8s from '@kubernetes/client-node';

const [kubeconfigPath, ns] = process.argv.slice(2);
if (!kubeconfigPath || !ns) throw new Error('usage: kindsClientNode.mts <kubeconfig> <namespace>');
const loaded = new k8s.KubeConfig();
loaded.loadFromFile(kubeconfigPath);
// client-node 1.x refuses plain-HTTP servers unless skipTLSVerify is set.
const kc = new k8s.KubeConfig();
kc.loadFromOptions({
  clusters: loaded.clusters.map((c) => ({ ...c, skipTLSVerify: true })),
  users: loaded.users,
  contexts: loaded.contexts,
  currentContext: loaded.currentContext,
});
const core = kc.makeApiClient(k8s.CoreV1Api);
const scheduling = kc.makeApiClient(k8s.SchedulingV1Api);

const out: Record<string, unknown> = {};
const classes = await scheduling.listPriorityClass();
out.priorityClasses = classes.items
  .map((pc) => `${pc.metadata?.name}=${pc.value}`)
  .filter((s) => s.startsWith('system-'))
  .sort();
await core.createNamespacedServiceAccount({
  namespace: ns,
  body: { metadata: { name: 'robot' }, automountServiceAccountToken: false },
});
const sa = await core.readNamespacedServiceAccount({ namespace: ns, name: 'robot' });
out.serviceAccount = `${sa.metadata?.namespace}/${sa.metadata?.name} automount=${sa.automountServiceAccountToken}`;
console.log(JSON.stringify(out));
