/**
 * coordination.k8s.io/v1 messages: Lease (field numbers of k8s.io/api coordination/v1 `generated.proto`).
 */
import type { MessageDefs } from './fields';
import { int32, msg, string } from './fields';

export const coordinationMessages: MessageDefs = {
  'coordination.Lease': {
    metadata: msg(1, 'meta.ObjectMeta'),
    spec: msg(2, 'coordination.LeaseSpec'),
  },
  'coordination.LeaseSpec': {
    holderIdentity: string(1, 'ptr'),
    leaseDurationSeconds: int32(2, 'ptr'),
    acquireTime: msg(3, 'meta.MicroTime', 'ptr'),
    renewTime: msg(4, 'meta.MicroTime', 'ptr'),
    leaseTransitions: int32(5, 'ptr'),
    strategy: string(6, 'ptr'),
    preferredHolder: string(7, 'ptr'),
  },
};
