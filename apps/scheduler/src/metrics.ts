/** The scheduler's metrics, with upstream's names, labels and buckets. */
import type { Registry } from '@kubeling/runtime';
import { counter, gauge, histogram } from '@kubeling/runtime';

const exp = (start: number, factor: number, count: number) =>
  Array.from({ length: count }, (_, i) => start * factor ** i);

export function schedulerMetrics(registry: Registry) {
  return {
    scheduleAttempts: counter(registry, {
      name: 'scheduler_schedule_attempts_total',
      help: "Number of attempts to schedule pods, by the result. 'unschedulable' means a pod could not be scheduled, while 'error' means an internal scheduler problem.",
      labelNames: ['result', 'profile'] as const,
    }),
    attemptDuration: histogram(registry, {
      name: 'scheduler_scheduling_attempt_duration_seconds',
      help: 'Scheduling attempt latency in seconds (scheduling algorithm + binding)',
      labelNames: ['result', 'profile'] as const,
      buckets: exp(0.001, 2, 15),
    }),
    pendingPods: gauge(registry, {
      name: 'scheduler_pending_pods',
      help: "Number of pending pods, by the queue type. 'active' means number of pods in activeQ; 'backoff' means number of pods in backoffQ; 'unschedulable' means number of pods in unschedulablePods that the scheduler attempted to schedule and failed; 'gated' is the number of unschedulable pods that the scheduler never attempted to schedule because they are gated.",
      labelNames: ['queue'] as const,
    }),
    pluginDuration: histogram(registry, {
      name: 'scheduler_plugin_execution_duration_seconds',
      help: 'Duration for running a plugin at a specific extension point.',
      labelNames: ['plugin', 'extension_point', 'status'] as const,
      buckets: exp(0.00001, 1.5, 20),
    }),
  };
}

export type SchedulerMetrics = ReturnType<typeof schedulerMetrics>;
