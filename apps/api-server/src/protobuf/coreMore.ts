/**
 * core/v1 messages of the kinds added after the first set (core.ts): ServiceAccount, PodTemplate,
 * LimitRange, PersistentVolume(Claim) — field numbers of k8s.io/api core/v1 `generated.proto`.
 */
import type { MessageDefs } from './fields';
import { bool, list, msg } from './fields';

export const coreMoreMessages: MessageDefs = {
  'core.ServiceAccount': {
    metadata: msg(1, 'meta.ObjectMeta'),
    secrets: list(2, 'core.ObjectReference'),
    imagePullSecrets: list(3, 'core.LocalObjectReference'),
    automountServiceAccountToken: bool(4, 'ptr'),
  },
  'core.PodTemplate': {
    metadata: msg(1, 'meta.ObjectMeta'),
    template: msg(2, 'core.PodTemplateSpec'),
  },
};
