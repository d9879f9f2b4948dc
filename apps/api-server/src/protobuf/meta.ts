/**
 * apimachinery messages: meta/v1 (ObjectMeta, LabelSelector, Time, DeleteOptions...), runtime
 * (the Unknown envelope every protobuf body travels in), intstr.IntOrString and
 * resource.Quantity. Field numbers are those of apimachinery's `generated.proto` files.
 *
 * Time, MicroTime, Duration, IntOrString, Quantity, FieldsV1 and RawExtension have custom JSON
 * forms (see toJson.ts); they are declared here only for their wire layout.
 */
import type { MessageDefs } from './fields';
import { bool, bytes, int32, int64, list, map, msg, string } from './fields';

export const metaMessages: MessageDefs = {
  'meta.Time': { seconds: int64(1), nanos: int32(2) },
  'meta.MicroTime': { seconds: int64(1), nanos: int32(2) },
  /** Nanoseconds. */
  'meta.Duration': { duration: int64(1) },
  /** The managed-fields set as raw JSON (the name `Raw` is upstream's). */
  'meta.FieldsV1': { Raw: bytes(1) },

  'meta.ObjectMeta': {
    name: string(1),
    generateName: string(2),
    namespace: string(3),
    selfLink: string(4),
    uid: string(5),
    resourceVersion: string(6),
    generation: int64(7),
    creationTimestamp: msg(8, 'meta.Time'),
    deletionTimestamp: msg(9, 'meta.Time', 'ptr'),
    deletionGracePeriodSeconds: int64(10, 'ptr'),
    labels: map(11, 'string'),
    annotations: map(12, 'string'),
    ownerReferences: list(13, 'meta.OwnerReference'),
    finalizers: list(14, 'string'),
    managedFields: list(17, 'meta.ManagedFieldsEntry'),
  },
  'meta.OwnerReference': {
    apiVersion: string(5, 'req'),
    kind: string(1, 'req'),
    name: string(3, 'req'),
    uid: string(4, 'req'),
    controller: bool(6, 'ptr'),
    blockOwnerDeletion: bool(7, 'ptr'),
  },
  'meta.ManagedFieldsEntry': {
    manager: string(1),
    operation: string(2),
    apiVersion: string(3),
    time: msg(4, 'meta.Time', 'ptr'),
    fieldsType: string(6),
    fieldsV1: msg(7, 'meta.FieldsV1', 'ptr'),
    subresource: string(8),
  },
  'meta.LabelSelector': {
    matchLabels: map(1, 'string'),
    matchExpressions: list(2, 'meta.LabelSelectorRequirement'),
  },
  'meta.LabelSelectorRequirement': {
    key: string(1, 'req'),
    operator: string(2, 'req'),
    values: list(3, 'string'),
  },
  'meta.Condition': {
    type: string(1, 'req'),
    status: string(2, 'req'),
    observedGeneration: int64(3),
    lastTransitionTime: msg(4, 'meta.Time', 'req'),
    reason: string(5, 'req'),
    message: string(6, 'req'),
  },
  'meta.DeleteOptions': {
    gracePeriodSeconds: int64(1, 'ptr'),
    preconditions: msg(2, 'meta.Preconditions', 'ptr'),
    orphanDependents: bool(3, 'ptr'),
    propagationPolicy: string(4, 'ptr'),
    dryRun: list(5, 'string'),
    ignoreStoreReadErrorWithClusterBreakingPotential: bool(6, 'ptr'),
  },
  'meta.Preconditions': {
    uid: string(1, 'ptr'),
    resourceVersion: string(2, 'ptr'),
  },

  // runtime.TypeMeta numbers apiVersion 1 and kind 2 (meta/v1's TypeMeta has them the other way).
  'runtime.TypeMeta': { apiVersion: string(1), kind: string(2) },
  'runtime.Unknown': {
    typeMeta: msg(1, 'runtime.TypeMeta'),
    raw: bytes(2),
    contentEncoding: string(3),
    contentType: string(4),
  },
  'runtime.RawExtension': { raw: bytes(1) },

  /** type 0 is an int (intVal), 1 a string (strVal). */
  'intstr.IntOrString': { type: int64(1), intVal: int32(2), strVal: string(3) },
  /** The canonical string form, as in JSON. */
  'resource.Quantity': { string: string(1) },
};
