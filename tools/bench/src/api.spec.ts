/** Keeps the api benchmark runnable: a very short run against its own api-server. */
import { testServices } from '@kubeling/testing';
import { runApiBench } from './api';

it('measures creates, GET, LIST, PATCH and a one-node LIST beside raw Redis SETs', async () => {
  const { redisUrl, natsUrl } = testServices();
  const lines: string[] = [];
  const r = await runApiBench(
    { redisUrl, natsUrl, concurrency: 4, seconds: 0.5, rate: 50, listSize: 20, nodePods: 300 },
    (l) => lines.push(l),
  );
  expect(r.redisSetPerSecond).toBeGreaterThan(0);
  expect(r.creates.count).toBeGreaterThan(0);
  expect(r.get.p99).toBeGreaterThanOrEqual(r.get.p50);
  expect(r.list.count).toBeGreaterThan(0);
  expect(r.patchAtRate.count).toBe(25);
  expect(r.createToRedisRatio).toBeCloseTo(r.creates.perSecond / r.redisSetPerSecond);
  expect(r.nodeList?.byNode.count).toBeGreaterThan(0);
  expect(r.nodeList?.total).toBe(300);
  expect(lines.join('\n')).toMatch(/creates \/ redis SETs/);
}, 60_000);
