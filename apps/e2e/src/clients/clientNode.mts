/**
 * Drives kubeling with @kubernetes/client-node (ESM-only, hence a script of its own that
 * client-node.e2e.spec.ts runs): create, list, an informer's watch, merge and strategic
 * patches. Prints one JSON document with what it observed.
 *
 *   node --import tsx apps/e2e/src/clients/clientNode.mts <kubeconfig> <namespace>
 */
import * as k8s from '@kubernetes/client-node';

const [kubeconfigPath, ns] = process.argv.slice(2);
if (!kubeconfigPath || !ns) throw new Error('usage: clientNode.mts <kubeconfig> <namespace>');
const loaded = new k8s.KubeConfig();
loaded.loadFromFile(kubeconfigPath);
// client-node 1.x refuses plain-HTTP servers unless skipTLSVerify is set (a client-side rule;
// kubeling's api-server speaks HTTP on loopback).
const kc = new k8s.KubeConfig();
kc.loadFromOptions({
  clusters: loaded.clusters.map((c) => ({ ...c, skipTLSVerify: true })),
  users: loaded.users,
  contexts: loaded.contexts,
  currentContext: loaded.currentContext,
});
const core = kc.makeApiClient(k8s.CoreV1Api);
const apps = kc.makeApiClient(k8s.AppsV1Api);

const until = async (what: string, ok: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

const out: Record<string, unknown> = {};
await core.createNamespace({ body: { metadata: { name: ns } } });
const created = await core.createNamespacedConfigMap({
  namespace: ns,
  body: { metadata: { name: 'first', labels: { app: 'demo' } }, data: { a: '1' } },
});
out.createdUid = created.metadata?.uid;

const list = await core.listNamespacedConfigMap({ namespace: ns, labelSelector: 'app=demo' });
out.listed = list.items.map((c) => c.metadata?.name);

const seen: string[] = [];
const informer = k8s.makeInformer(kc, `/api/v1/namespaces/${ns}/configmaps`, () =>
  core.listNamespacedConfigMap({ namespace: ns }),
);
informer.on('add', (o) => seen.push(`add ${o.metadata?.name}`));
informer.on('update', (o) => seen.push(`update ${o.metadata?.name} ${o.data?.a ?? ''}`));
informer.on('delete', (o) => seen.push(`delete ${o.metadata?.name}`));
await informer.start();
await until('initial add', () => seen.includes('add first'));
await core.createNamespacedConfigMap({
  namespace: ns,
  body: { metadata: { name: 'second' }, data: { a: '1' } },
});
const merge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
await core.patchNamespacedConfigMap(
  { namespace: ns, name: 'second', body: { data: { a: '2' } } },
  merge,
);
await core.deleteNamespacedConfigMap({ namespace: ns, name: 'second' });
await until('watch events', () => seen.includes('delete second'));
await informer.stop();
out.informerEvents = seen;
out.cached = informer.list(ns).map((c) => c.metadata?.name);

await apps.createNamespacedDeployment({
  namespace: ns,
  body: {
    metadata: { name: 'web' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            { name: 'nginx', image: 'nginx:1.14' },
            { name: 'side', image: 'busybox' },
          ],
        },
      },
    },
  },
});
const strategic = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch);
const patched = await apps.patchNamespacedDeployment(
  {
    namespace: ns,
    name: 'web',
    body: {
      spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.16' }] } } },
    },
  },
  strategic,
);
out.strategicContainers = patched.spec?.template.spec?.containers.map(
  (c) => `${c.name}=${c.image}`,
);
out.generation = patched.metadata?.generation;

try {
  await core.readNamespacedConfigMap({ namespace: ns, name: 'missing' });
} catch (e) {
  out.notFoundCode = (e as { code?: number }).code;
}
process.stdout.write(JSON.stringify(out) + '\n');
