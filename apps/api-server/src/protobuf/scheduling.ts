/**
 * scheduling.k8s.io/v1 messages: PriorityClass (field numbers of k8s.io/api scheduling/v1
 * `generated.proto`).
 */
import type { MessageDefs } from './fields';
import { bool, int32, msg, string } from './fields';

export const schedulingMessages: MessageDefs = {
  'scheduling.PriorityClass': {
    metadata: msg(1, 'meta.ObjectMeta'),
    value: int32(2, 'req'),
    globalDefault: bool(3),
    description: string(4),
    preemptionPolicy: string(5, 'ptr'),
  },
};
