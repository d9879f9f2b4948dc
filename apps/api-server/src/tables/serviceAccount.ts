/** core/v1 ServiceAccounts (printServiceAccount): SECRETS counts the referenced secrets. */
import type { ServiceAccount } from '@kubeling/api';
import { since } from './duration';
import { ageColumn, column, nameColumn, printer } from './table';

export const serviceAccountColumns = [
  nameColumn,
  column(
    'Secrets',
    'string',
    'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.',
  ),
  ageColumn,
];

export const serviceAccountPrinter = printer<ServiceAccount>(serviceAccountColumns, (sa, now) => [
  sa.metadata.name ?? '',
  sa.secrets?.length ?? 0,
  since(sa.metadata.creationTimestamp, now),
]);
