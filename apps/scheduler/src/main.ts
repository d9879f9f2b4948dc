/**
 * kube-scheduler for kubeling. Against a running cluster (`npx kubeling up --name dev`):
 *   node --import tsx apps/scheduler/src/main.ts --cluster-name dev
 * `--help` lists every flag; /metrics, /healthz, /readyz and /debug/decisions/<ns>/<pod> are on
 * --secure-port (10259). Run it twice: one replica leads, the other stands by.
 */
import { EventBroadcaster, runComponent } from '@kubeling/client';
import { flag, runMain } from '@kubeling/runtime';
import { loadConfigFile, resolveConfig } from './config/config';
import { DecisionLog } from './decisions';
import { decisionsHandler } from './explainServer';
import { schedulerMetrics } from './metrics';
import { inTreeRegistry } from './plugins/registry';
import { Scheduler } from './scheduler';

export const NAME = 'kube-scheduler';

runMain(NAME, (signal) => {
  const decisions = new DecisionLog();
  return runComponent({
    name: NAME,
    signal,
    port: 10259,
    routes: decisionsHandler(decisions),
    flags: {
      config: flag.string({
        default: '',
        description:
          'The path to the configuration file (KubeSchedulerConfiguration v1, YAML or JSON).',
      }),
    },
    run: async ({ client, factory, flags, log, registry, signal }) => {
      const config = flags.config
        ? loadConfigFile(flags.config, inTreeRegistry)
        : resolveConfig(undefined, inTreeRegistry);
      const events = new EventBroadcaster({ client, logger: log });
      const recorder = events.newRecorder({ component: 'default-scheduler' });
      const scheduler = new Scheduler({
        client,
        config,
        recorder,
        log,
        metrics: schedulerMetrics(registry),
        decisions,
      });
      scheduler.watch(factory);
      log.info('profiles', { schedulerNames: config.profiles.map((p) => p.schedulerName) });
      try {
        if (!(await factory.waitForCacheSync(signal))) return;
        await scheduler.run(signal);
      } finally {
        await events.shutdown();
      }
    },
  });
});
