/**
 * Which printer renders which resource: every kind kubeling serves has its upstream columns
 * (pkg/printers/internalversion AddHandlers); anything else falls back to the default
 * Name / Created At table, as a resource without a TableConvertor does upstream.
 */
import { configMapPrinter, secretPrinter } from './config';
import { endpointSlicePrinter, endpointsPrinter } from './endpoints';
import { eventPrinter } from './event';
import { leasePrinter } from './lease';
import { namespacePrinter } from './namespace';
import { nodePrinter } from './node';
import { podPrinter } from './pod';
import { priorityClassPrinter } from './priorityClass';
import { serviceAccountPrinter } from './serviceAccount';
import { podTemplatePrinter } from './podTemplate';
import { controllerRevisionPrinter } from './controllerRevision';
import { daemonSetPrinter } from './daemonSet';
import { cronJobPrinter, jobPrinter } from './batch';
import { resourceQuotaPrinter } from './resourceQuota';
import { servicePrinter } from './service';
import type { TablePrinter } from './table';
import { defaultPrinter } from './table';
import {
  deploymentPrinter,
  replicaSetPrinter,
  replicationControllerPrinter,
  scalePrinter,
} from './workload';

/** Keyed by `group/resource` (core group: `/pods`). */
const printers: ReadonlyMap<string, TablePrinter> = new Map([
  ['/pods', podPrinter],
  ['/nodes', nodePrinter],
  ['/namespaces', namespacePrinter],
  ['/events', eventPrinter],
  ['/configmaps', configMapPrinter],
  ['/secrets', secretPrinter],
  ['/services', servicePrinter],
  ['/endpoints', endpointsPrinter],
  ['/replicationcontrollers', replicationControllerPrinter],
  ['/resourcequotas', resourceQuotaPrinter],
  ['apps/replicasets', replicaSetPrinter],
  ['apps/deployments', deploymentPrinter],
  ['discovery.k8s.io/endpointslices', endpointSlicePrinter],
  ['coordination.k8s.io/leases', leasePrinter],
  ['scheduling.k8s.io/priorityclasses', priorityClassPrinter],
  ['/serviceaccounts', serviceAccountPrinter],
  ['/podtemplates', podTemplatePrinter],
  ['apps/controllerrevisions', controllerRevisionPrinter],
  ['apps/daemonsets', daemonSetPrinter],
  ['batch/jobs', jobPrinter],
  ['batch/cronjobs', cronJobPrinter],
]);

/**
 * The printer of a resource or subresource: /status answers the object itself, so it prints
 * as the resource does; /scale answers a Scale.
 */
export function printerFor(group: string, resource: string, subresource?: string): TablePrinter {
  if (subresource === 'scale') return scalePrinter;
  if (subresource && subresource !== 'status') return defaultPrinter;
  return printers.get(`${group}/${resource}`) ?? defaultPrinter;
}

/** Whether a resource has its own columns (for tests: every served kind must). */
export function hasPrinter(group: string, resource: string): boolean {
  return printers.has(`${group}/${resource}`);
}
