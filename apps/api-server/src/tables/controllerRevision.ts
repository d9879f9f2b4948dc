/**
 * apps/v1 ControllerRevisions (printControllerRevision): CONTROLLER is the controller owner as
 * `kind.group/name` in lower case (`daemonset.apps/fluentd`), `<none>` without one.
 */
import type { ControllerRevision } from '@kubeling/api';
import { since } from './duration';
import { ageColumn, column, nameColumn, printer } from './table';

export const controllerRevisionColumns = [
  nameColumn,
  column('Controller', 'string', 'Controller of the object'),
  column(
    'Revision',
    'integer',
    'Revision indicates the revision of the state represented by Data.',
  ),
  ageColumn,
];

function controllerName(cr: ControllerRevision): string {
  const ref = cr.metadata.ownerReferences?.find((r) => r.controller);
  if (!ref) return '<none>';
  const slash = ref.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : ref.apiVersion.slice(0, slash);
  const kind = group ? `${ref.kind}.${group}` : ref.kind;
  return `${kind.toLowerCase()}/${ref.name}`;
}

export const controllerRevisionPrinter = printer<ControllerRevision>(
  controllerRevisionColumns,
  (cr, now) => [
    cr.metadata.name ?? '',
    controllerName(cr),
    cr.revision ?? 0,
    since(cr.metadata.creationTimestamp, now),
  ],
);
