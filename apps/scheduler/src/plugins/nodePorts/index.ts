/**
 * NodePorts: a pod's host ports must be free on the node. Ports conflict on the same protocol
 * and port when either side binds 0.0.0.0 or both bind the same IP.
 */
import type { Pod } from '@kubeling/api';
import type { CycleState, FilterPlugin, PluginFactory } from '../../framework/interface';
import type { HostPort, NodeInfo } from '../../framework/nodeInfo';
import { newPodInfo } from '../../framework/nodeInfo';
import { success, unschedulable } from '../../framework/status';

export const Name = 'NodePorts';
export const ErrReason = "node(s) didn't have free ports for the requested pod ports";

const conflict = (a: HostPort, b: HostPort) =>
  a.port === b.port &&
  a.protocol === b.protocol &&
  (a.ip === '0.0.0.0' || b.ip === '0.0.0.0' || a.ip === b.ip);

export class NodePorts implements FilterPlugin {
  readonly name = Name;
  filter(s: CycleState, pod: Pod, node: NodeInfo) {
    let wanted = s.read<HostPort[]>(Name);
    if (!wanted) s.write(Name, (wanted = newPodInfo(pod).hostPorts));
    if (wanted.length === 0) return success;
    for (const used of node.usedPorts())
      if (wanted.some((w) => conflict(w, used))) return unschedulable(ErrReason);
    return success;
  }
}

export const factory: PluginFactory = () => new NodePorts();
