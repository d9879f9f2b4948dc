/**
 * The serviceaccount controller through the real path: a `kubeling up` cluster (real api-server,
 * Redis, NATS), the controller's descriptor run in this process over HTTP, kubectl to look.
 */
import type { TestCluster } from '@kubeling/testing';
import { kubectl, startCluster } from '@kubeling/testing';
import { Client, HttpTransport } from '@kubeling/client';
import { serviceAccountControllerDescriptor } from '.';
import { runDescriptor } from './runDescriptor';

let cluster: TestCluster;

beforeAll(async () => {
  // Its own controllers run in this process: the cluster runs no controller-manager of its own.
  cluster = await startCluster({ nodes: 0, controllerManagers: 0 });
}, 90_000);

afterAll(async () => {
  await cluster?.down();
}, 60_000);

async function ok(...args: string[]): Promise<string> {
  const r = await kubectl(args, { kubeconfig: cluster.kubeconfig });
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** Polls `kubectl get sa -o name` in a namespace until it lists `default` (real time: a real cluster). */
async function accountsOnceDefault(ns: string): Promise<string> {
  let rows = '';
  for (let i = 0; i < 100 && !rows.includes('default'); i++) {
    rows = await ok('get', 'sa', '-n', ns, '-o', 'name');
    if (!rows.includes('default')) await new Promise((r) => setTimeout(r, 100));
  }
  return rows;
}

it('gives every namespace its default account, and brings it back', async () => {
  const client = new Client({ transport: new HttpTransport({ server: cluster.server }), qps: -1 });
  const running = await runDescriptor(serviceAccountControllerDescriptor, client);
  try {
    expect(await accountsOnceDefault('kube-system')).toBe('serviceaccount/default\n');
    await ok('create', 'namespace', 'with-sa');
    expect(await accountsOnceDefault('with-sa')).toBe('serviceaccount/default\n');
    await ok('delete', 'sa', 'default', '-n', 'with-sa');
    expect(await accountsOnceDefault('with-sa')).toBe('serviceaccount/default\n');
  } finally {
    await running.stop();
    await client.close();
  }
}, 60_000);
