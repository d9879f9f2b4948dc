/**
 * NodeUnschedulable: a cordoned node (spec.unschedulable) takes no new pods, unless the pod
 * tolerates the node.kubernetes.io/unschedulable:NoSchedule taint (DaemonSet pods do).
 */
import type { Pod } from '@kubeling/api';
import { tolerationsTolerateTaint } from '@kubeling/api';
import type { FilterPlugin, PluginFactory } from '../../framework/interface';
import type { NodeInfo } from '../../framework/nodeInfo';
import { success, unresolvable } from '../../framework/status';

export const Name = 'NodeUnschedulable';
export const ErrReasonUnschedulable = 'node(s) were unschedulable';
const taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

export class NodeUnschedulable implements FilterPlugin {
  readonly name = Name;
  filter(_s: unknown, pod: Pod, node: NodeInfo) {
    if (!node.node?.spec.unschedulable) return success;
    if (tolerationsTolerateTaint(pod.spec.tolerations, taint)) return success;
    return unresolvable(ErrReasonUnschedulable);
  }
}

export const factory: PluginFactory = () => new NodeUnschedulable();
