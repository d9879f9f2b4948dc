/**
 * Nodes as `kubectl get nodes` shows them (printNode): STATUS from the Ready condition
 * (Ready / NotReady / Unknown when the kubelet never reported), ",SchedulingDisabled" when
 * cordoned; ROLES from node-role.kubernetes.io/<role> and kubernetes.io/role labels.
 */
import type { Node } from '@kubeling/api';
import { since } from './duration';
import { ageColumn, column, nameColumn, printer } from './table';

const labelNodeRolePrefix = 'node-role.kubernetes.io/';
const nodeLabelRole = 'kubernetes.io/role';

const addressesDescription =
  'List of addresses reachable to the node. Queried from cloud provider, if available.';

export const nodeColumns = [
  nameColumn,
  column('Status', 'string', 'The status of the node'),
  column('Roles', 'string', 'The roles of the node'),
  ageColumn,
  column('Version', 'string', 'Kubelet Version reported by the node.'),
  column('Internal-IP', 'string', addressesDescription, { priority: 1 }),
  column('External-IP', 'string', addressesDescription, { priority: 1 }),
  column('OS-Image', 'string', 'OS Image reported by the node from /etc/os-release.', {
    priority: 1,
  }),
  column('Kernel-Version', 'string', "Kernel Version reported by the node from 'uname -r'.", {
    priority: 1,
  }),
  column('Container-Runtime', 'string', 'ContainerRuntime Version reported by the node.', {
    priority: 1,
  }),
];

/** The STATUS cell. Only the Ready condition is shown; the last one listed wins, as in a map. */
export function nodeStatus(node: Node): string {
  let ready: { status: string } | undefined;
  for (const c of node.status?.conditions ?? []) if (c.type === 'Ready') ready = c;
  const status: string[] = [];
  if (ready) status.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  else status.push('Unknown');
  if (node.spec?.unschedulable) status.push('SchedulingDisabled');
  return status.join(',');
}

/** findNodeRoles; sorted, where upstream leaves a set's order to chance. */
export function nodeRoles(node: Node): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith(labelNodeRolePrefix)) {
      const role = k.slice(labelNodeRolePrefix.length);
      if (role) roles.add(role);
    } else if (k === nodeLabelRole && v !== '') roles.add(v);
  }
  return roles.size ? [...roles].sort().join(',') : '<none>';
}

function address(node: Node, type: string): string {
  return node.status?.addresses?.find((a) => a.type === type)?.address ?? '<none>';
}

export const nodePrinter = printer<Node>(nodeColumns, (node, now) => {
  const info = node.status?.nodeInfo ?? {};
  return [
    node.metadata.name ?? '',
    nodeStatus(node),
    nodeRoles(node),
    since(node.metadata.creationTimestamp, now),
    info.kubeletVersion ?? '',
    address(node, 'InternalIP'),
    address(node, 'ExternalIP'),
    info.osImage || '<unknown>',
    info.kernelVersion || '<unknown>',
    info.containerRuntimeVersion || '<unknown>',
  ];
});
