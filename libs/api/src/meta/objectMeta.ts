/**
 * meta/v1 ObjectMeta, OwnerReference, ManagedFieldsEntry and LabelSelector schemas, and
 * ValidateObjectMeta / ValidateObjectMetaUpdate with apimachinery's messages.
 * Fields are declared in Go struct order so stored objects print in the order Kubernetes uses.
 */
import { z } from 'zod';
import type { FieldError, FieldPath } from './fieldErrors';
import { forbiddenField, invalidValue, path, required, tooLong } from './fieldErrors';
import {
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  TotalAnnotationSizeLimit,
} from './names';

export const OwnerReference = z
  .object({
    apiVersion: z.string(),
    kind: z.string(),
    name: z.string(),
    uid: z.string(),
    controller: z.boolean().optional(),
    blockOwnerDeletion: z.boolean().optional(),
  })
  .strict();
export type OwnerReference = z.infer<typeof OwnerReference>;

export const ManagedFieldsEntry = z
  .object({
    manager: z.string().optional(),
    operation: z.enum(['Apply', 'Update']).optional(),
    apiVersion: z.string().optional(),
    time: z.string().optional(),
    fieldsType: z.string().optional(),
    fieldsV1: z.record(z.unknown()).optional(),
    subresource: z.string().optional(),
  })
  .strict();
export type ManagedFieldsEntry = z.infer<typeof ManagedFieldsEntry>;

export const StringMap = z.record(z.string());

export const ObjectMeta = z
  .object({
    name: z.string().optional(),
    generateName: z.string().optional(),
    namespace: z.string().optional(),
    selfLink: z.string().optional(),
    uid: z.string().optional(),
    resourceVersion: z.string().optional(),
    generation: z.number().int().optional(),
    creationTimestamp: z.string().optional(),
    deletionTimestamp: z.string().optional(),
    deletionGracePeriodSeconds: z.number().int().optional(),
    labels: StringMap.optional(),
    annotations: StringMap.optional(),
    ownerReferences: z.array(OwnerReference).optional(),
    finalizers: z.array(z.string()).optional(),
    managedFields: z.array(ManagedFieldsEntry).optional(),
  })
  .strict();
export type ObjectMeta = z.infer<typeof ObjectMeta>;

export const LabelSelectorRequirement = z
  .object({
    key: z.string(),
    operator: z.string(),
    values: z.array(z.string()).optional(),
  })
  .strict();
export type LabelSelectorRequirement = z.infer<typeof LabelSelectorRequirement>;

export const LabelSelector = z
  .object({
    matchLabels: StringMap.optional(),
    matchExpressions: z.array(LabelSelectorRequirement).optional(),
  })
  .strict();
export type LabelSelector = z.infer<typeof LabelSelector>;

/** The smallest object every kind satisfies; what generic code (store, api-server) handles. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

/** How a kind's names are checked: most are DNS-1123 subdomains, some labels. */
export type NameValidator = (name: string, prefix: boolean) => string[];

/** ValidateNameFunc for DNS-1123 subdomains; a generateName prefix may end in '-'. */
export const nameIsDNSSubdomain: NameValidator = (name, prefix) =>
  isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);
export const nameIsDNSLabel: NameValidator = (name, prefix) =>
  isDNS1123Label(prefix ? maskTrailingDash(name) : name);

function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name;
}

export function validateLabels(
  labels: Record<string, string> | undefined,
  p: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    for (const m of isQualifiedName(k)) errs.push(invalidValue(p, k, m));
    for (const m of isValidLabelValue(v)) errs.push(invalidValue(p, v, m));
  }
  return errs;
}

export function validateAnnotations(
  annotations: Record<string, string> | undefined,
  p: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) {
    for (const m of isQualifiedName(k.toLowerCase())) errs.push(invalidValue(p, k, m));
    size += k.length + v.length;
  }
  if (size > TotalAnnotationSizeLimit) errs.push(tooLong(p, TotalAnnotationSizeLimit));
  return errs;
}

export interface ObjectMetaRules {
  namespaced: boolean;
  validateName?: NameValidator;
}

/** ValidateObjectMeta: name/generateName, namespace scope, labels, annotations, owners, finalizers. */
export function validateObjectMeta(
  meta: ObjectMeta,
  rules: ObjectMetaRules,
  p = path('metadata'),
): FieldError[] {
  const errs: FieldError[] = [];
  const validateName = rules.validateName ?? nameIsDNSSubdomain;
  if (meta.generateName) {
    for (const m of validateName(meta.generateName, true))
      errs.push(invalidValue(p.child('generateName'), meta.generateName, m));
  }
  if (!meta.name) {
    errs.push(required(p.child('name'), 'name or generateName is required'));
  } else {
    for (const m of validateName(meta.name, false))
      errs.push(invalidValue(p.child('name'), meta.name, m));
  }
  if (rules.namespaced) {
    if (!meta.namespace) errs.push(required(p.child('namespace')));
    else
      for (const m of isDNS1123Label(meta.namespace))
        errs.push(invalidValue(p.child('namespace'), meta.namespace, m));
  } else if (meta.namespace) {
    errs.push(forbiddenField(p.child('namespace'), 'not allowed on this type'));
  }
  if (meta.generation !== undefined && meta.generation < 0)
    errs.push(
      invalidValue(p.child('generation'), meta.generation, 'must be greater than or equal to 0'),
    );
  errs.push(...validateLabels(meta.labels, p.child('labels')));
  errs.push(...validateAnnotations(meta.annotations, p.child('annotations')));
  (meta.ownerReferences ?? []).forEach((ref, i) => {
    const rp = p.child('ownerReferences').index(i);
    if (!ref.apiVersion)
      errs.push(invalidValue(rp.child('apiVersion'), ref.apiVersion, 'version must not be empty'));
    if (!ref.kind) errs.push(invalidValue(rp.child('kind'), ref.kind, 'kind must not be empty'));
    if (!ref.name) errs.push(invalidValue(rp.child('name'), ref.name, 'name must not be empty'));
    if (!ref.uid) errs.push(invalidValue(rp.child('uid'), ref.uid, 'uid must not be empty'));
  });
  const controllers = (meta.ownerReferences ?? []).filter((r) => r.controller);
  if (controllers.length > 1)
    errs.push(
      invalidValue(
        p.child('ownerReferences'),
        meta.ownerReferences,
        `Only one reference can have Controller set to true. Found "true" in references for ${controllers
          .map((r) => `${r.kind}/${r.name}`)
          .join(' and ')}`,
      ),
    );
  (meta.finalizers ?? []).forEach((f, i) => {
    for (const m of isQualifiedName(f))
      errs.push(invalidValue(p.child('finalizers').index(i), f, m));
  });
  return errs;
}

const fieldIsImmutable = 'field is immutable';

/** ValidateObjectMetaUpdate: identity fields never change once set. */
export function validateObjectMetaUpdate(
  meta: ObjectMeta,
  old: ObjectMeta,
  p = path('metadata'),
): FieldError[] {
  const errs: FieldError[] = [];
  const immutable: Array<keyof ObjectMeta> = ['name', 'namespace', 'uid', 'creationTimestamp'];
  for (const f of immutable) {
    if (meta[f] !== old[f]) errs.push(invalidValue(p.child(f), meta[f], fieldIsImmutable));
  }
  if (old.deletionTimestamp && meta.deletionTimestamp !== old.deletionTimestamp)
    errs.push(invalidValue(p.child('deletionTimestamp'), meta.deletionTimestamp, fieldIsImmutable));
  return errs;
}

/** The detail Kubernetes attaches to an immutable-field error. */
export const immutableDetail = fieldIsImmutable;
