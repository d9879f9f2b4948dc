/** apps/v1 DaemonSets (printDaemonSet); NODE SELECTOR is the template's nodeSelector. */
import type { DaemonSet } from '@kubeling/api';
import { since } from './duration';
import { ageColumn, column, nameColumn, printer } from './table';
import { containerCells, formatLabelSelector } from './workload';

const wide = { priority: 1 };

export const daemonSetColumns = [
  nameColumn,
  column(
    'Desired',
    'integer',
    'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod).',
  ),
  column(
    'Current',
    'integer',
    'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.',
  ),
  column(
    'Ready',
    'integer',
    'numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.',
  ),
  column('Up-to-date', 'integer', 'The total number of nodes that are running updated daemon pod'),
  column(
    'Available',
    'integer',
    'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)',
  ),
  column(
    'Node Selector',
    'string',
    "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/",
  ),
  ageColumn,
  column('Containers', 'string', 'Names of each container in the template.', wide),
  column('Images', 'string', 'Images referenced by each container in the template.', wide),
  column(
    'Selector',
    'string',
    'A label query over pods that should match the replica count. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors',
    wide,
  ),
];

/** labels.FormatLabels: `k=v` sorted by key; `<none>` when empty. */
function formatLabels(m: Record<string, string> | undefined): string {
  const keys = Object.keys(m ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${m?.[k]}`).join(',') : '<none>';
}

export const daemonSetPrinter = printer<DaemonSet>(daemonSetColumns, (ds, now) => {
  const [names, images] = containerCells(ds.spec?.template?.spec?.containers);
  const st: Partial<DaemonSet['status']> = ds.status ?? {};
  return [
    ds.metadata.name ?? '',
    st.desiredNumberScheduled ?? 0,
    st.currentNumberScheduled ?? 0,
    st.numberReady ?? 0,
    st.updatedNumberScheduled ?? 0,
    st.numberAvailable ?? 0,
    formatLabels(ds.spec?.template?.spec?.nodeSelector),
    since(ds.metadata.creationTimestamp, now),
    names,
    images,
    formatLabelSelector(ds.spec?.selector),
  ];
});
