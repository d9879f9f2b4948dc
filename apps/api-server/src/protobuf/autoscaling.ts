/**
 * autoscaling/v1 Scale, the body of the `scale` subresource (field numbers of k8s.io/api
 * autoscaling/v1 `generated.proto`).
 */
import type { MessageDefs } from './fields';
import { int32, msg, string } from './fields';

export const autoscalingMessages: MessageDefs = {
  'autoscaling.Scale': {
    metadata: msg(1, 'meta.ObjectMeta'),
    spec: msg(2, 'autoscaling.ScaleSpec'),
    status: msg(3, 'autoscaling.ScaleStatus'),
  },
  // `replicas,omitempty` in Go, where 0 and absent are the same; the scale handler tells them
  // apart, so a decoded 0 is written out (a typed client scaling to zero sends replicas=0).
  'autoscaling.ScaleSpec': { replicas: int32(1, 'req') },
  'autoscaling.ScaleStatus': { replicas: int32(1, 'req'), selector: string(2) },
};
