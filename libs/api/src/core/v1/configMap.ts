/**
 * core/v1 ConfigMap: schema, and ValidateConfigMap / ValidateConfigMapUpdate.
 * This file is the pattern every kind follows: schema in Go field order, then the KindInfo.
 */
import { z } from 'zod';
import type { FieldError } from '../../meta/fieldErrors';
import { forbiddenField, invalidValue, path, tooLong } from '../../meta/fieldErrors';
import { ObjectMeta, StringMap } from '../../meta/objectMeta';
import type { KindInfo } from '../../scheme';

export const ConfigMap = z
  .object({
    apiVersion: z.string().optional(),
    kind: z.string().optional(),
    metadata: ObjectMeta.default({}),
    immutable: z.boolean().optional(),
    data: StringMap.optional(),
    binaryData: StringMap.optional(),
  })
  .strict();
export type ConfigMap = z.infer<typeof ConfigMap>;

/** MaxSecretSize / config map size: 1 MiB across data and binaryData. */
export const MaxConfigMapSize = 1024 * 1024;

const configKeyFmt = '[-._a-zA-Z0-9]+';
const configKeyRe = new RegExp(`^${configKeyFmt}$`);

/** IsConfigMapKey: the key rule shared by ConfigMap and Secret. */
export function isConfigMapKey(key: string): string[] {
  const errs: string[] = [];
  if (key.length > 253) errs.push('must be no more than 253 characters');
  if (!configKeyRe.test(key))
    errs.push(
      `a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '${configKeyFmt}')`,
    );
  if (key === '.') errs.push("must not be '.'");
  else if (key === '..') errs.push("must not be '..'");
  else if (key.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

function validateConfigMap(cm: ConfigMap): FieldError[] {
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(cm.data ?? {})) {
    for (const m of isConfigMapKey(k)) errs.push(invalidValue(path('data').key(k), k, m));
    if (cm.binaryData && k in cm.binaryData)
      errs.push(invalidValue(path('data').key(k), k, 'duplicate of key present in binaryData'));
    size += Buffer.byteLength(v);
  }
  for (const [k, v] of Object.entries(cm.binaryData ?? {})) {
    for (const m of isConfigMapKey(k)) errs.push(invalidValue(path('binaryData').key(k), k, m));
    size += Buffer.byteLength(v, 'base64');
  }
  if (size > MaxConfigMapSize) errs.push(tooLong(path(''), MaxConfigMapSize));
  return errs;
}

const immutableDetail = 'field is immutable when `immutable` is set';

function validateConfigMapUpdate(cm: ConfigMap, old: ConfigMap): FieldError[] {
  if (!old.immutable) return [];
  const errs: FieldError[] = [];
  if (!cm.immutable) errs.push(forbiddenField(path('immutable'), immutableDetail));
  if (JSON.stringify(cm.data ?? {}) !== JSON.stringify(old.data ?? {}))
    errs.push(forbiddenField(path('data'), immutableDetail));
  if (JSON.stringify(cm.binaryData ?? {}) !== JSON.stringify(old.binaryData ?? {}))
    errs.push(forbiddenField(path('binaryData'), immutableDetail));
  return errs;
}

export const configMapKind: KindInfo<ConfigMap> = {
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  resource: 'configmaps',
  singular: 'configmap',
  namespaced: true,
  shortNames: ['cm'],
  categories: [],
  schema: ConfigMap,
  validate: validateConfigMap,
  validateUpdate: validateConfigMapUpdate,
  subresources: [],
  tracksGeneration: false,
};
