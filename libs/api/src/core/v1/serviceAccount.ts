/**
 * core/v1 ServiceAccount: the schema and the KindInfo (ValidateServiceAccount is ObjectMeta
 * alone, which the api-server checks generically), and the defaulting half of the
 * ServiceAccount admission plugin: a pod that names no account runs as `default`.
 */
import { z } from 'zod';
import { ObjectMeta } from '../../meta/objectMeta';
import type { KindInfo } from '../../scheme';
import { ObjectReference } from './event';
import type { PodSpec } from './podSpec';

export const LocalObjectReference = z.object({ name: z.string().optional() }).strict();
export type LocalObjectReference = z.infer<typeof LocalObjectReference>;

export const ServiceAccount = z
  .object({
    apiVersion: z.string().optional(),
    kind: z.string().optional(),
    metadata: ObjectMeta.default({}),
    secrets: z.array(ObjectReference).optional(),
    imagePullSecrets: z.array(LocalObjectReference).optional(),
    automountServiceAccountToken: z.boolean().optional(),
  })
  .strict();
export type ServiceAccount = z.infer<typeof ServiceAccount>;

/** DefaultServiceAccountName: the account every namespace has and pods run as by default. */
export const defaultServiceAccountName = 'default';

/**
 * The ServiceAccount admission plugin's defaulting: spec.serviceAccountName (and its deprecated
 * alias) become `default` when unset. kubeling does not mount tokens into pods.
 */
export function defaultPodServiceAccount(spec: PodSpec): void {
  if (!spec.serviceAccountName) spec.serviceAccountName = defaultServiceAccountName;
  spec.serviceAccount = spec.serviceAccountName;
}

export const serviceAccountKind: KindInfo<ServiceAccount> = {
  group: '',
  version: 'v1',
  kind: 'ServiceAccount',
  resource: 'serviceaccounts',
  singular: 'serviceaccount',
  namespaced: true,
  shortNames: ['sa'],
  categories: [],
  schema: ServiceAccount,
  subresources: [],
  tracksGeneration: false,
};
