/**
 * ConfigMaps (printConfigMap: DATA counts data and binaryData keys) and Secrets (printSecret:
 * TYPE and the number of data keys).
 */
import type { ConfigMap, Secret } from '@kubeling/api';
import { since } from './duration';
import { ageColumn, column, nameColumn, printer } from './table';

export const configMapColumns = [
  nameColumn,
  column('Data', 'string', 'Data contains the configuration data.'),
  ageColumn,
];

export const configMapPrinter = printer<ConfigMap>(configMapColumns, (cm, now) => [
  cm.metadata.name ?? '',
  Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length,
  since(cm.metadata.creationTimestamp, now),
]);

export const secretColumns = [
  nameColumn,
  column('Type', 'string', 'Used to facilitate programmatic handling of secret data.'),
  column('Data', 'string', 'Data contains the secret data.'),
  ageColumn,
];

export const secretPrinter = printer<Secret>(secretColumns, (s, now) => [
  s.metadata.name ?? '',
  s.type ?? '',
  Object.keys(s.data ?? {}).length,
  since(s.metadata.creationTimestamp, now),
]);
