/** The NATS benchmark runs end to end in a tiny configuration (numbers are not checked, only sanity). */
import { testServices } from '@kubeling/testing';
import { runNatsBench } from './nats';

it('measures request/reply and watch fan-out beside raw NATS', async () => {
  const { redisUrl, natsUrl } = testServices();
  const lines: string[] = [];
  const r = await runNatsBench(
    { redisUrl, natsUrl, seconds: 0.3, concurrency: 2, watchers: 5 },
    (l) => lines.push(l),
  );
  expect(r.getLatency.count).toBeGreaterThan(0);
  expect(r.rawLatency.count).toBeGreaterThan(0);
  expect(r.fanout.misdelivered).toBe(0);
  expect(r.fanout.liveEventsPerSecond).toBeGreaterThan(0);
  expect(r.fanout.replayEventsPerSecond).toBeGreaterThan(0);
  expect(lines.join('\n')).toMatch(/ratio GET\/raw: p50 ×[\d.]+/);
}, 60_000);
