/** Keeps the kubelet benchmark runnable: a very short run (20 hollow nodes, a few pods). */
import { runKubeletBench } from './kubelet';

it('measures memory per hollow node and pod startup latency for sim and process', async () => {
  const lines: string[] = [];
  const r = await runKubeletBench(
    { nodes: 20, pods: 10, rate: 20, processPods: 4, settleMs: 3000 },
    (l) => lines.push(l),
  );
  expect(r.memory.rssMany).toBeGreaterThan(0);
  expect(r.sim.count).toBe(10);
  expect(r.sim.p99).toBeGreaterThanOrEqual(r.sim.p50);
  expect(r.process.count).toBe(4);
  expect(lines.join('\n')).toMatch(/per hollow node: RSS/);
}, 180_000);
