/**
 * Zod schemas for what the OpenAPI documents describe beside the kinds themselves: the List
 * of every kind, and the meta/v1 and subresource bodies the operations name (Status,
 * DeleteOptions, WatchEvent, Patch, autoscaling/v1 Scale, core/v1 Binding, policy/v1 Eviction).
 * The api-server reads these bodies with its own code; the schemas here only give the
 * documents the shapes it accepts, so every `$ref` resolves as upstream's does.
 *
 *   const podList = listSchema(podKind.schema);
 */
import { z } from 'zod';
import { ObjectMeta, ObjectReference } from '@kubeling/api';

const int = () => z.number().int();

/** meta/v1 ListMeta. */
export const ListMeta = z
  .object({
    selfLink: z.string().optional(),
    resourceVersion: z.string().optional(),
    continue: z.string().optional(),
    remainingItemCount: int().optional(),
  })
  .strict();

/** `<Kind>List`: `items` is what upstream's lists require. */
export function listSchema(item: z.ZodTypeAny): z.ZodTypeAny {
  return z
    .object({
      apiVersion: z.string().optional(),
      kind: z.string().optional(),
      metadata: ListMeta.optional(),
      items: z.array(item),
    })
    .strict();
}

const StatusCause = z
  .object({
    reason: z.string().optional(),
    message: z.string().optional(),
    field: z.string().optional(),
  })
  .strict();

const StatusDetails = z
  .object({
    name: z.string().optional(),
    group: z.string().optional(),
    kind: z.string().optional(),
    uid: z.string().optional(),
    causes: z.array(StatusCause).optional(),
    retryAfterSeconds: int().optional(),
  })
  .strict();

export const Status = z
  .object({
    apiVersion: z.string().optional(),
    kind: z.string().optional(),
    metadata: ListMeta.optional(),
    status: z.string().optional(),
    message: z.string().optional(),
    reason: z.string().optional(),
    details: StatusDetails.optional(),
    code: int().optional(),
  })
  .strict();

const Preconditions = z
  .object({ uid: z.string().optional(), resourceVersion: z.string().optional() })
  .strict();

export const DeleteOptions = z
  .object({
    apiVersion: z.string().optional(),
    kind: z.string().optional(),
    gracePeriodSeconds: int().optional(),
    preconditions: Preconditions.optional(),
    orphanDependents: z.boolean().optional(),
    propagationPolicy: z.string().optional(),
    dryRun: z.array(z.string()).optional(),
    ignoreStoreReadErrorWithClusterBreakingPotential: z.boolean().optional(),
  })
  .strict();

/** One line of a watch stream; `object` is any object (runtime.RawExtension). */
export const WatchEvent = z.object({ type: z.string(), object: z.record(z.unknown()) }).strict();

/** The body of a PATCH: its shape depends on the patch type, so the schema says nothing. */
export const Patch = z.object({}).passthrough();

/** autoscaling/v1 Scale, the `scale` subresource. */
export const Scale = z
  .object({
    apiVersion: z.string().optional(),
    kind: z.string().optional(),
    metadata: ObjectMeta.optional(),
    spec: z.object({ replicas: int().optional() }).strict().optional(),
    status: z.object({ replicas: int(), selector: z.string().optional() }).strict().optional(),
  })
  .strict();

/** core/v1 Binding, the body of `pods/binding`. */
export const Binding = z
  .object({
    apiVersion: z.string().optional(),
    kind: z.string().optional(),
    metadata: ObjectMeta.optional(),
    target: ObjectReference,
  })
  .strict();

/** policy/v1 Eviction, the body of `pods/eviction`. */
export const Eviction = z
  .object({
    apiVersion: z.string().optional(),
    kind: z.string().optional(),
    metadata: ObjectMeta.optional(),
    deleteOptions: DeleteOptions.optional(),
  })
  .strict();

/** The envelopes by their upstream definition names (the List of each kind is built per kind). */
export function envelopeRoots(): Array<[string, z.ZodTypeAny]> {
  return [
    ['io.k8s.apimachinery.pkg.apis.meta.v1.Status', Status],
    ['io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions', DeleteOptions],
    ['io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent', WatchEvent],
    ['io.k8s.apimachinery.pkg.apis.meta.v1.Patch', Patch],
    ['io.k8s.api.autoscaling.v1.Scale', Scale],
    ['io.k8s.api.core.v1.Binding', Binding],
    ['io.k8s.api.policy.v1.Eviction', Eviction],
  ];
}
