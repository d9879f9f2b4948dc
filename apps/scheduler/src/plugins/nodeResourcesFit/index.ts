/**
 * NodeResourcesFit. Filter: the node must have room for the pod's requests (computePodRequests
 * in @kubeling/api: containers summed, max with init containers and sidecars, plus overhead) on
 * top of what its pods — bound and assumed — already request, for cpu, memory,
 * ephemeral-storage and any extended resource, and one more pod under allocatable `pods`.
 * Reasons as upstream: "Insufficient cpu", "Too many pods".
 *
 * Score (args.scoringStrategy): LeastAllocated (default: prefer emptier nodes), MostAllocated
 * (bin-packing) or RequestedToCapacityRatio (a piecewise-linear shape over utilization), over
 * the "non-zero" requests (100m cpu, 200Mi memory for containers that request nothing) of the
 * weighted resources (default cpu and memory, weight 1 each).
 */
import type { Pod, ResourceAmounts } from '@kubeling/api';
import type {
  CycleState,
  FilterPlugin,
  PluginFactory,
  PreFilterPlugin,
  ScorePlugin,
} from '../../framework/interface';
import { MaxNodeScore } from '../../framework/interface';
import type { NodeInfo } from '../../framework/nodeInfo';
import { newPodInfo } from '../../framework/nodeInfo';
import { success, unschedulable } from '../../framework/status';

export const Name = 'NodeResourcesFit';

export interface ResourceSpec {
  name: string;
  weight?: number;
}
export interface UtilizationShapePoint {
  utilization: number;
  score: number;
}
export interface NodeResourcesFitArgs {
  ignoredResources?: string[];
  ignoredResourceGroups?: string[];
  scoringStrategy?: {
    type?: 'LeastAllocated' | 'MostAllocated' | 'RequestedToCapacityRatio';
    resources?: ResourceSpec[];
    requestedToCapacityRatio?: { shape?: UtilizationShapePoint[] };
  };
}

export const defaultResources: ResourceSpec[] = [
  { name: 'cpu', weight: 1 },
  { name: 'memory', weight: 1 },
];

interface PreFilterState {
  requests: ResourceAmounts;
  nonZero: ResourceAmounts;
}
const stateKey = `PreFilter${Name}`;

/** Why the pod does not fit on `node`, upstream's order: pods, cpu, memory, storage, others. */
export function insufficientResources(
  requests: ResourceAmounts,
  node: NodeInfo,
  ignored: ReadonlySet<string> = new Set(),
  ignoredGroups: readonly string[] = [],
): string[] {
  const reasons: string[] = [];
  const allowedPods = node.allocatable.pods ?? 0;
  if (node.pods.size + 1 > allowedPods) reasons.push('Too many pods');
  const names = Object.keys(requests).filter((r) => r !== 'pods' && (requests[r] ?? 0) > 0);
  if (names.length === 0) return reasons;
  const order = ['cpu', 'memory', 'ephemeral-storage'];
  names.sort((a, b) => {
    const ia = order.indexOf(a);
    const ib = order.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
  });
  for (const r of names) {
    if (!order.includes(r)) {
      if (ignored.has(r)) continue;
      const slash = r.indexOf('/');
      if (slash > 0 && ignoredGroups.includes(r.slice(0, slash))) continue;
    }
    if ((node.allocatable[r] ?? 0) < (requests[r] ?? 0) + (node.requested[r] ?? 0))
      reasons.push(`Insufficient ${r}`);
  }
  return reasons;
}

function leastAllocated(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.floor(((capacity - requested) * MaxNodeScore) / capacity);
}

function mostAllocated(requested: number, capacity: number): number {
  if (capacity === 0) return 0;
  return Math.floor((Math.min(requested, capacity) * MaxNodeScore) / capacity);
}

/** A piecewise-linear function through the shape's points, scores scaled from 0..10 to 0..100. */
export function brokenLinear(shape: UtilizationShapePoint[]): (u: number) => number {
  const pts = shape.map((p) => ({ u: p.utilization, s: (p.score * MaxNodeScore) / 10 }));
  return (u) => {
    let prev: { u: number; s: number } | undefined;
    for (const b of pts) {
      if (u <= b.u) {
        if (!prev) return b.s;
        return prev.s + ((b.s - prev.s) * (u - prev.u)) / (b.u - prev.u);
      }
      prev = b;
    }
    return prev?.s ?? 0;
  };
}

export class NodeResourcesFit implements PreFilterPlugin, FilterPlugin, ScorePlugin {
  readonly name = Name;
  private readonly ignored: Set<string>;
  private readonly ignoredGroups: string[];
  private readonly resources: ResourceSpec[];
  private readonly scorer: (requested: number, capacity: number) => number;

  constructor(args: NodeResourcesFitArgs = {}) {
    this.ignored = new Set(args.ignoredResources ?? []);
    this.ignoredGroups = args.ignoredResourceGroups ?? [];
    const strategy = args.scoringStrategy ?? {};
    this.resources = strategy.resources ?? defaultResources;
    switch (strategy.type ?? 'LeastAllocated') {
      case 'MostAllocated':
        this.scorer = mostAllocated;
        break;
      case 'RequestedToCapacityRatio': {
        const f = brokenLinear(
          strategy.requestedToCapacityRatio?.shape ?? [
            { utilization: 0, score: 10 },
            { utilization: 100, score: 0 },
          ],
        );
        this.scorer = (requested, capacity) =>
          capacity === 0
            ? 0
            : Math.round(f(Math.floor((Math.min(requested, capacity) * 100) / capacity)));
        break;
      }
      default:
        this.scorer = leastAllocated;
    }
  }

  private state(s: CycleState, pod: Pod): PreFilterState {
    let st = s.read<PreFilterState>(stateKey);
    if (!st) {
      const i = newPodInfo(pod);
      st = { requests: i.requests, nonZero: i.nonZero };
      s.write(stateKey, st);
    }
    return st;
  }

  preFilter(s: CycleState, pod: Pod) {
    this.state(s, pod);
  }

  filter(s: CycleState, pod: Pod, node: NodeInfo) {
    const reasons = insufficientResources(
      this.state(s, pod).requests,
      node,
      this.ignored,
      this.ignoredGroups,
    );
    return reasons.length === 0 ? success : unschedulable(...reasons);
  }

  score(s: CycleState, pod: Pod, node: NodeInfo): number {
    const req = this.state(s, pod).nonZero;
    let total = 0;
    let weights = 0;
    for (const r of this.resources) {
      const w = r.weight ?? 1;
      const capacity = node.allocatable[r.name] ?? 0;
      const requested = (node.nonZeroRequested[r.name] ?? 0) + (req[r.name] ?? 0);
      // Resources the node does not have are left out of the average (upstream).
      if (capacity === 0 && r.name !== 'cpu' && r.name !== 'memory') continue;
      total += this.scorer(requested, capacity) * w;
      weights += w;
    }
    return weights === 0 ? 0 : Math.floor(total / weights);
  }
}

export const factory: PluginFactory = (args) => new NodeResourcesFit(args as NodeResourcesFitArgs);
