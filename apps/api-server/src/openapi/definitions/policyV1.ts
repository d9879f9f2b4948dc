/**
 * policy/v1 (k8s.io/api/policy/v1): Eviction, the body of the pods' `eviction` subresource.
 *
 * Hand-written, in our own words; see catalogue.ts for what belongs here and how to extend it.
 */
import { definitions } from './catalogue';
import { objectHeader } from './metaV1';

export const policyV1 = definitions('policy', {
  Eviction: {
    description:
      "A request to delete a pod that respects its PodDisruptionBudgets, posted to the pod's eviction subresource.",
    fields: {
      ...objectHeader,
      metadata: {
        ...objectHeader.metadata,
        description: 'The name and namespace of the pod to evict.',
      },
      deleteOptions: {
        type: 'meta.DeleteOptions',
        description: 'Options of the deletion, such as its grace period.',
      },
    },
  },
});
