/**
 * The example component as real processes against a real cluster: two replicas, one leads and
 * keeps the ConfigMap current; killing it -9 hands the work to the other.
 */
import type { ConfigMap, Namespace, Pod } from '@kubeling/api';
import { configMapKind, namespaceKind, podKind } from '@kubeling/api';
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

it('counts pods per node, and survives the loss of its leader', async () => {
  const ns = uniqueName('ppn');
  await client.resource(namespaceKind).create({ metadata: { name: ns } } as Namespace);
  const pods = client.resource(podKind).namespace(ns);
  const addPod = (name: string, nodeName: string) =>
    pods.create({
      metadata: { name },
      spec: { nodeName, containers: [{ name: 'c', image: 'nginx' }] },
    } as Pod);
  await Promise.all([addPod('a', 'node-1'), addPod('b', 'node-1'), addPod('c', 'node-2')]);
  const data = async () =>
    (
      (await client
        .resource(configMapKind)
        .namespace('kube-system')
        .get('pods-per-node')) as ConfigMap
    ).data;

  const one = replica('one');
  await one.waitFor(/leading as one/);
  const two = replica('two');
  await two.waitFor(/leader is one/);
  await eventually(async () => expect(await data()).toEqual({ 'node-1': '2', 'node-2': '1' }));

  await addPod('d', 'node-3');
  await pods.delete('a', { gracePeriodSeconds: 0 });
  await eventually(async () =>
    expect(await data()).toEqual({ 'node-1': '1', 'node-2': '1', 'node-3': '1' }),
  );
  expect(two.output()).not.toMatch(/leading as two/);

  await one.kill('SIGKILL');
  await two.waitFor(/leading as two/, 15_000);
  await addPod('e', 'node-3');
  await eventually(async () =>
    expect(await data()).toEqual({ 'node-1': '1', 'node-2': '1', 'node-3': '2' }),
  );
  await two.kill('SIGTERM');
  expect(two.child.exitCode).toBe(0);
}, 120_000);
