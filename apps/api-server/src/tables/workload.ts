/**
 * Workload controllers as kubectl shows them: Deployments (printDeployment: READY is
 * ready/desired), ReplicaSets and ReplicationControllers (printReplicaSet,
 * printReplicationController: DESIRED CURRENT READY), with -o wide adding the template's
 * CONTAINERS and IMAGES and the SELECTOR; and the autoscaling/v1 Scale subresource
 * (`kubectl get deploy x --subresource=scale`: DESIRED AVAILABLE).
 */
import type {
  Container,
  Deployment,
  LabelSelector,
  ReplicaSet,
  ReplicationController,
} from '@kubeling/api';
import { isStatusError, labelSelectorAsSelector } from '@kubeling/api';
import { since } from './duration';
import { formatLabels } from './service';
import { ageColumn, column, nameColumn, printer } from './table';

const containersColumn = column(
  'Containers',
  'string',
  'Names of each container in the template.',
  {
    priority: 1,
  },
);
const imagesColumn = column(
  'Images',
  'string',
  'Images referenced by each container in the template.',
  { priority: 1 },
);
const selectorDescription =
  'Label query over pods that should match the replica count. Label keys and values that must match in order to be controlled by this controller.';

/** layoutContainerCells: names and images of the template's containers, comma-joined. */
export function containerCells(containers: Container[] | undefined): [string, string] {
  const cs = containers ?? [];
  return [cs.map((c) => c.name).join(','), cs.map((c) => c.image ?? '').join(',')];
}

/** metav1.FormatLabelSelector: the selector's string form, <none> when empty or absent. */
export function formatLabelSelector(sel: LabelSelector | undefined): string {
  let text: string;
  try {
    text = labelSelectorAsSelector(sel).toString();
  } catch (e) {
    if (isStatusError(e)) return '<error>';
    throw e;
  }
  return text || '<none>';
}

export const deploymentColumns = [
  nameColumn,
  column('Ready', 'string', 'Number of the pod with ready state'),
  column(
    'Up-to-date',
    'integer',
    'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
  ),
  column(
    'Available',
    'integer',
    'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
  ),
  ageColumn,
  containersColumn,
  imagesColumn,
  column('Selector', 'string', selectorDescription, { priority: 1 }),
];

export const deploymentPrinter = printer<Deployment>(deploymentColumns, (d, now) => {
  const status = d.status ?? {};
  let selector: string;
  try {
    // printDeployment prints the selector as is (empty when empty) and <invalid> when bad.
    selector = labelSelectorAsSelector(d.spec?.selector).toString();
  } catch (e) {
    if (!isStatusError(e)) throw e;
    selector = '<invalid>';
  }
  const [names, images] = containerCells(d.spec?.template?.spec?.containers);
  return [
    d.metadata.name ?? '',
    `${status.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}`,
    status.updatedReplicas ?? 0,
    status.availableReplicas ?? 0,
    since(d.metadata.creationTimestamp, now),
    names,
    images,
    selector,
  ];
});

function replicaColumns(kind: string) {
  return [
    nameColumn,
    column('Desired', 'integer', `Replicas is the number of desired replicas.`),
    column(
      'Current',
      'integer',
      `Replicas is the most recently observed number of replicas of this ${kind}.`,
    ),
    column('Ready', 'integer', `The number of ready replicas for this ${kind}.`),
    ageColumn,
    containersColumn,
    imagesColumn,
    column('Selector', 'string', selectorDescription, { priority: 1 }),
  ];
}

export const replicaSetColumns = replicaColumns('replica set');
export const replicationControllerColumns = replicaColumns('replication controller');

export const replicaSetPrinter = printer<ReplicaSet>(replicaSetColumns, (rs, now) => {
  const [names, images] = containerCells(rs.spec?.template?.spec?.containers);
  return [
    rs.metadata.name ?? '',
    rs.spec?.replicas ?? 0,
    rs.status?.replicas ?? 0,
    rs.status?.readyReplicas ?? 0,
    since(rs.metadata.creationTimestamp, now),
    names,
    images,
    formatLabelSelector(rs.spec?.selector),
  ];
});

export const replicationControllerPrinter = printer<ReplicationController>(
  replicationControllerColumns,
  (rc, now) => {
    const [names, images] = containerCells(rc.spec?.template?.spec?.containers);
    return [
      rc.metadata.name ?? '',
      rc.spec?.replicas ?? 0,
      rc.status?.replicas ?? 0,
      rc.status?.readyReplicas ?? 0,
      since(rc.metadata.creationTimestamp, now),
      names,
      images,
      formatLabels(rc.spec?.selector),
    ];
  },
);

/** autoscaling/v1 Scale, as the scale subresource answers it. */
interface Scale {
  metadata: { name?: string };
  spec?: { replicas?: number };
  status?: { replicas?: number };
}

export const scaleColumns = [
  nameColumn,
  column('Desired', 'integer', 'desired number of instances for the scaled object.'),
  column('Available', 'integer', 'actual number of observed instances of the scaled object.'),
];

export const scalePrinter = printer<Scale>(scaleColumns, (s) => [
  s.metadata.name ?? '',
  s.spec?.replicas ?? 0,
  s.status?.replicas ?? 0,
]);
