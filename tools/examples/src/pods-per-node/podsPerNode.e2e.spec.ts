/**
 * The example component as real processes against a real cluster: two replicas, one leads and
 * keeps a ConfigMap per node current; killing it -9 hands the work to the other.
 */
import type { ConfigMap, Namespace, Node, Pod } from '@kubeling/api';
import { configMapKind, eventKind, namespaceKind, nodeKind, podKind } from '@kubeling/api';
import type { Client } from '@kubeling/client';
import type { TestCluster } from '@kubeling/testing';
import { startCluster, testServices, uniqueName } from '@kubeling/testing';
import type { ScriptProcess } from '../e2e/support';
import { eventually, killScripts, natsClient, spawnScript } from '../e2e/support';

let cluster: TestCluster;
let client: Client;

beforeAll(async () => {
  cluster = await startCluster({ nodes: 0 });
  client = await natsClient(cluster);
}, 120_000);

afterAll(async () => {
  await client?.close();
  await killScripts();
  await cluster?.down();
}, 60_000);

function replica(id: string): ScriptProcess {
  // prettier-ignore
  return spawnScript('tools/examples/src/pods-per-node/main.ts', [
    '--cluster-name', cluster.name, '--nats-url', testServices().natsUrl, '--id', id,
    '--leader-elect-lease-duration=3s', '--leader-elect-renew-deadline=2s',
    '--leader-elect-retry-period=500ms',
  ]);
}

it('keeps one ConfigMap per node, cleans up after a deleted node, and survives the loss of its leader', async () => {
  const ns = uniqueName('ppn');
  await client.resource(namespaceKind).create({ metadata: { name: ns } } as Namespace);
  const nodes = client.resource(nodeKind);
  // Node objects as a kubelet would register them (this cluster runs none: --nodes 0).
  const node1 = await nodes.create({ metadata: { name: 'node-1' } } as Node);
  await nodes.create({ metadata: { name: 'node-2' } } as Node);
  const pods = client.resource(podKind).namespace(ns);
  const addPod = (name: string, nodeName: string) =>
    pods.create({
      metadata: { name },
      spec: { nodeName, containers: [{ name: 'c', image: 'nginx' }] },
    } as Pod);
  await Promise.all([addPod('a', 'node-1'), addPod('b', 'node-1'), addPod('c', 'node-2')]);
  const configMaps = client.resource(configMapKind).namespace('kube-system');
  const counts = async () => {
    const list = await configMaps.list({
      labelSelector: 'app.kubernetes.io/managed-by=pods-per-node',
    });
    return Object.fromEntries(list.items.map((c) => [c.data?.node, c.data?.count]));
  };

  const one = replica('one');
  await one.waitFor(/leading as one/);
  const two = replica('two');
  await two.waitFor(/leader is one/);
  await eventually(async () => expect(await counts()).toEqual({ 'node-1': '2', 'node-2': '1' }));
  const cm1 = (await configMaps.get('pods-on-node-1')) as ConfigMap;
  expect(cm1.data?.pods).toBe(`${ns}/a\n${ns}/b`);
  expect(cm1.metadata.ownerReferences).toEqual([
    {
      apiVersion: 'v1',
      kind: 'Node',
      name: 'node-1',
      uid: node1.metadata.uid,
      controller: true,
      blockOwnerDeletion: true,
    },
  ]);
  // The status write and the event.
  await eventually(async () => {
    const n = (await nodes.get('node-1')) as Node;
    expect(n.status?.conditions).toContainEqual(
      expect.objectContaining({ type: 'PodsCounted', status: 'True', message: '2 active pods' }),
    );
  });
  await eventually(async () => {
    const events = await client.resource(eventKind).namespace('default').list();
    expect(
      events.items.filter(
        (e) => e.involvedObject.name === 'node-1' && e.reason === 'SuccessfulCreate',
      ),
    ).toHaveLength(1);
  });

  await nodes.create({ metadata: { name: 'node-3' } } as Node);
  await addPod('d', 'node-3');
  await pods.delete('a', { gracePeriodSeconds: 0 });
  await eventually(async () =>
    expect(await counts()).toEqual({ 'node-1': '1', 'node-2': '1', 'node-3': '1' }),
  );
  // NotFound: the node is deleted, its ConfigMap goes with it.
  await nodes.delete('node-2');
  await eventually(async () => expect(await counts()).toEqual({ 'node-1': '1', 'node-3': '1' }));
  expect(two.output()).not.toMatch(/leading as two/);

  await one.kill('SIGKILL');
  await two.waitFor(/leading as two/, 15_000);
  await addPod('e', 'node-3');
  await eventually(async () => expect(await counts()).toEqual({ 'node-1': '1', 'node-3': '2' }));
  await two.kill('SIGTERM');
  expect(two.child.exitCode).toBe(0);
}, 120_000);
