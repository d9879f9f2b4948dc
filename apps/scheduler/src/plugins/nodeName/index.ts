/** NodeName: a pod that names a node (spec.nodeName) fits only that node. */
import type { Pod } from '@kubeling/api';
import type { FilterPlugin, PluginFactory } from '../../framework/interface';
import type { NodeInfo } from '../../framework/nodeInfo';
import { success, unresolvable } from '../../framework/status';

export const Name = 'NodeName';
export const ErrReason = "node(s) didn't match the requested node name";

export class NodeName implements FilterPlugin {
  readonly name = Name;
  filter(_s: unknown, pod: Pod, node: NodeInfo) {
    if (!pod.spec.nodeName || pod.spec.nodeName === node.name) return success;
    return unresolvable(ErrReason);
  }
}

export const factory: PluginFactory = () => new NodeName();
