/**
 * NodeResourcesBalancedAllocation: prefer nodes whose cpu and memory would be used in equal
 * shares after placing the pod — score (1 - standard deviation of the fractions) * 100.
 */
import type { Pod } from '@kubeling/api';
import { computePodRequests } from '@kubeling/api';
import type { CycleState, PluginFactory, ScorePlugin } from '../../framework/interface';
import { MaxNodeScore } from '../../framework/interface';
import type { NodeInfo } from '../../framework/nodeInfo';
import type { ResourceSpec } from '../nodeResourcesFit';
import { defaultResources } from '../nodeResourcesFit';

export const Name = 'NodeResourcesBalancedAllocation';

export class NodeResourcesBalancedAllocation implements ScorePlugin {
  readonly name = Name;
  constructor(private readonly resources: ResourceSpec[] = defaultResources) {}

  score(s: CycleState, pod: Pod, node: NodeInfo): number {
    let req = s.read<Record<string, number>>(Name);
    if (!req) s.write(Name, (req = computePodRequests(pod.spec)));
    const fractions: number[] = [];
    for (const r of this.resources) {
      const capacity = node.allocatable[r.name] ?? 0;
      if (capacity === 0) continue;
      const f = ((node.requested[r.name] ?? 0) + (req[r.name] ?? 0)) / capacity;
      fractions.push(Math.min(f, 1));
    }
    if (fractions.length === 0) return 0;
    const mean = fractions.reduce((a, b) => a + b, 0) / fractions.length;
    const variance = fractions.reduce((a, f) => a + (f - mean) ** 2, 0) / fractions.length;
    return Math.floor((1 - Math.sqrt(variance)) * MaxNodeScore);
  }
}

export const factory: PluginFactory = (args) =>
  new NodeResourcesBalancedAllocation((args as { resources?: ResourceSpec[] }).resources);
