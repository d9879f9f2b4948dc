/**
 * The condition shape the built-in kinds' status share (PodCondition, NodeCondition,
 * NamespaceCondition, ReplicationControllerCondition, ReplicaSetCondition, DeploymentCondition):
 * `type` and `status` (True | False | Unknown) required; the last transition, its reason and
 * message optional; plus the timestamps some kinds add — Deployment's `lastUpdateTime`, Pod's
 * `lastProbeTime`, Node's `lastHeartbeatTime` — which upstream declares between `status` and
 * `lastTransitionTime`, the order the fields are written in. (meta/v1 Condition, which Service
 * status uses, is another type with required fields: see service.ts.)
 *
 *   export const NodeCondition = statusCondition('lastHeartbeatTime');
 */
import { z } from 'zod';

type Timestamps<K extends string> = { [P in K]: z.ZodOptional<z.ZodString> };

export function statusCondition<K extends string = never>(...timestamps: K[]) {
  const extra = Object.fromEntries(
    timestamps.map((t) => [t, z.string().optional()]),
  ) as Timestamps<K>;
  return z
    .object({
      type: z.string(),
      status: z.string(),
      ...extra,
      lastTransitionTime: z.string().optional(),
      reason: z.string().optional(),
      message: z.string().optional(),
    })
    .strict();
}
