/**
 * scheduling.k8s.io/v1 (k8s.io/api/scheduling/v1): PriorityClass.
 *
 * Hand-written, in our own words; see catalogue.ts for what belongs here and how to extend it.
 */
import { preemptionPolicies } from '@kubeling/api';
import { definitions } from './catalogue';
import { objectHeader } from './metaV1';

export const schedulingV1 = definitions('scheduling', {
  PriorityClass: {
    description:
      'A name for a pod priority: pods naming it in spec.priorityClassName get its value as their priority, which orders scheduling and decides who is preempted.',
    required: ['value'],
    fields: {
      ...objectHeader,
      value:
        'The priority pods of this class get; higher is more important. Values above 1000000000 are reserved for the system classes.',
      globalDefault:
        'Whether pods that name no class get this one. Only one class should be the global default; if several are, the lowest value wins.',
      description: 'When to use this class, for people.',
      preemptionPolicy: {
        description:
          'Whether pods of this class may preempt lower-priority pods (PreemptLowerPriority, the default) or never do (Never).',
        enum: preemptionPolicies,
      },
    },
  },
});
