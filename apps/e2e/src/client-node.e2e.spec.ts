/**
 * @kubernetes/client-node against kubeling: create, list, an informer (list + watch), merge and
 * strategic merge patches, a 404. The client is ESM-only, so it runs in clients/clientNode.mts
 * (through tsx) and this test checks what it reports.
 */
import * as path from 'node:path';
import { runProcess, workspaceRoot } from '@kubeling/testing';
import { useCluster } from './support';

const c = useCluster();

it('works through @kubernetes/client-node', async () => {
  const script = path.join(__dirname, 'clients', 'clientNode.mts');
  const r = await runProcess(
    process.execPath,
    ['--import', 'tsx', script, c.cluster.kubeconfig, 'client-node'],
    {
      env: { ...process.env, KUBECONFIG: '' },
      cwd: workspaceRoot(),
      timeoutMs: 60_000,
    },
  );
  if (r.code !== 0) throw new Error(`client-node script failed (${r.code}): ${r.stderr}`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}');
  expect(out.createdUid).toMatch(/^[0-9a-f-]{36}$/);
  expect(out.listed).toEqual(['first']);
  expect(out.informerEvents).toEqual([
    'add first',
    'add second',
    'update second 2',
    'delete second',
  ]);
  expect(out.cached).toEqual(['first']);
  expect(out.strategicContainers).toEqual(['nginx=nginx:1.16', 'side=busybox']);
  expect(out.generation).toBe(2);
  expect(out.notFoundCode).toBe(404);
}, 90_000);
