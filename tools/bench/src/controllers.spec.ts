/** Keeps the controller benchmark runnable: a small Deployment on its own cluster. */
import { parseByName, runControllersBench } from './controllers';

it('parses the work-queue series by controller name', () => {
  const text = [
    '# TYPE workqueue_depth gauge',
    'workqueue_depth{name="deployment"} 3',
    'workqueue_depth{name="replicaset"} 0',
    'workqueue_work_duration_seconds_count{name="replicaset"} 42',
  ].join('\n');
  expect(parseByName(text, 'workqueue_depth')).toEqual({ deployment: 3, replicaset: 0 });
  expect(parseByName(text, 'workqueue_work_duration_seconds_count')).toEqual({ replicaset: 42 });
});

it('times a Deployment until available and its rolling update, with sync rates', async () => {
  const lines: string[] = [];
  const r = await runControllersBench({ replicas: 10, sampleMs: 100 }, (l) => lines.push(l));
  expect(r.allAvailable.seconds).toBeGreaterThan(0);
  expect(r.rollingUpdate.seconds).toBeGreaterThan(0);
  expect(r.samples.length).toBeGreaterThan(1);
  const last = r.samples[r.samples.length - 1]!;
  expect(last.syncs['deployment']).toBeGreaterThan(0);
  expect(last.syncs['replicaset']).toBeGreaterThan(0);
  expect(lines.join('\n')).toMatch(/10 replicas available in/);
}, 120_000);
