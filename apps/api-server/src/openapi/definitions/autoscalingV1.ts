/**
 * autoscaling/v1 (k8s.io/api/autoscaling/v1): Scale, the body of the `scale` subresource.
 *
 * Hand-written, in our own words; see catalogue.ts for what belongs here and how to extend it.
 */
import { definitions } from './catalogue';
import { objectHeader } from './metaV1';

export const autoscalingV1 = definitions('autoscaling', {
  Scale: {
    description:
      'The scale subresource of a workload: how many replicas it should have and has, without the rest of its spec.',
    fields: {
      ...objectHeader,
      metadata: {
        ...objectHeader.metadata,
        description: 'The metadata of the scaled object.',
      },
      spec: { type: 'ScaleSpec', description: 'The desired number of replicas.' },
      status: {
        type: 'ScaleStatus',
        description: 'The current number of replicas, and the selector of their pods.',
      },
    },
  },

  ScaleSpec: {
    description: 'The desired size of a scaled workload.',
    fields: { replicas: 'How many replicas the workload should have.' },
  },

  ScaleStatus: {
    description: 'The observed size of a scaled workload.',
    fields: {
      replicas: 'How many replicas the workload has.',
      selector:
        'The label selector of its pods, written as in a query (`app=web,tier in (front)`).',
    },
  },
});
