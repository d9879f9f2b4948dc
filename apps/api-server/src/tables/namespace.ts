/** Namespaces as `kubectl get ns` shows them (printNamespace): STATUS is the phase. */
import type { Namespace } from '@kubeling/api';
import { since } from './duration';
import { ageColumn, column, nameColumn, printer } from './table';

export const namespaceColumns = [
  nameColumn,
  column('Status', 'string', 'The status of the namespace'),
  ageColumn,
];

export const namespacePrinter = printer<Namespace>(namespaceColumns, (ns, now) => [
  ns.metadata.name ?? '',
  ns.status?.phase ?? '',
  since(ns.metadata.creationTimestamp, now),
]);
