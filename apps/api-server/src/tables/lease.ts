/** coordination.k8s.io Leases (printLease): HOLDER is spec.holderIdentity. */
import type { Lease } from '@kubeling/api';
import { since } from './duration';
import { ageColumn, column, nameColumn, printer } from './table';

export const leaseColumns = [
  nameColumn,
  column(
    'Holder',
    'string',
    'holderIdentity contains the identity of the holder of a current lease.',
  ),
  ageColumn,
];

export const leasePrinter = printer<Lease>(leaseColumns, (l, now) => [
  l.metadata.name ?? '',
  l.spec?.holderIdentity ?? '',
  since(l.metadata.creationTimestamp, now),
]);
