/** core/v1 PodTemplates (printPodTemplate): the template's containers, images and pod labels. */
import type { PodTemplate } from '@kubeling/api';
import { column, nameColumn, printer } from './table';
import { containerCells } from './workload';

export const podTemplateColumns = [
  nameColumn,
  column('Containers', 'string', 'Names of each container in the template.'),
  column('Images', 'string', 'Images referenced by each container in the template.'),
  column('Pod Labels', 'string', 'The labels for the pod template.'),
];

/** labels.FormatLabels: `k=v` sorted by key, comma-joined; `<none>` when empty. */
function formatLabels(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${labels?.[k]}`).join(',') : '<none>';
}

export const podTemplatePrinter = printer<PodTemplate>(podTemplateColumns, (pt) => {
  const [names, images] = containerCells(pt.template?.spec?.containers);
  return [pt.metadata.name ?? '', names, images, formatLabels(pt.template?.metadata?.labels)];
});
