/**
 * PodTopologySpread. For each of the pod's topologySpreadConstraints, the pods matching its
 * labelSelector (in the pod's namespace, not terminating) are counted per domain — the values
 * of topologyKey over the nodes that have every constraint's key and, with nodeAffinityPolicy
 * Honor (the default), match the pod's node selector and required affinity (nodeTaintsPolicy
 * Honor also drops nodes with untolerated taints).
 * Filter (whenUnsatisfiable: DoNotSchedule): placing the pod must keep
 * count(domain) + self - min(count) <= maxSkew, where min is 0 while fewer domains than
 * minDomains exist. Score (ScheduleAnyway): fewer matching pods in the node's domains is better,
 * each constraint weighted by log(domains + 2), normalized so the best node gets 100.
 */
import type { Pod, Selector, TopologySpreadConstraint } from '@kubeling/api';
import {
  findMatchingUntoleratedTaint,
  labelSelectorAsSelector,
  podMatchesNodeSelectorAndAffinityTerms,
} from '@kubeling/api';
import type {
  CycleState,
  FilterPlugin,
  Handle,
  NodeScore,
  PluginFactory,
  PreFilterPlugin,
  PreScorePlugin,
  ScorePlugin,
} from '../../framework/interface';
import { MaxNodeScore } from '../../framework/interface';
import type { NodeInfo } from '../../framework/nodeInfo';
import { skip, success, unresolvable, unschedulable } from '../../framework/status';

export const Name = 'PodTopologySpread';
export const ErrReasonConstraintsNotMatch = "node(s) didn't match pod topology spread constraints";
export const ErrReasonNodeLabelNotMatch = `${ErrReasonConstraintsNotMatch} (missing required label)`;

interface Constraint {
  maxSkew: number;
  topologyKey: string;
  selector: Selector;
  minDomains: number;
  honorAffinity: boolean;
  honorTaints: boolean;
}

interface SpreadState {
  constraints: Constraint[];
  /** Per constraint: domain value → matching pods. */
  counts: Map<string, number>[];
  selfMatch: number[];
}

function buildConstraints(pod: Pod, when: string): Constraint[] {
  const labels = pod.metadata.labels ?? {};
  return (pod.spec.topologySpreadConstraints ?? [])
    .filter((c: TopologySpreadConstraint) => (c.whenUnsatisfiable ?? 'DoNotSchedule') === when)
    .map((c) => {
      const sel = structuredClone(c.labelSelector);
      if (sel)
        for (const k of c.matchLabelKeys ?? [])
          if (labels[k] !== undefined)
            (sel.matchExpressions ??= []).push({ key: k, operator: 'In', values: [labels[k]] });
      return {
        maxSkew: c.maxSkew ?? 1,
        topologyKey: c.topologyKey ?? '',
        selector: labelSelectorAsSelector(sel),
        minDomains: c.minDomains ?? 1,
        honorAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
        honorTaints: c.nodeTaintsPolicy === 'Honor',
      };
    });
}

function countPods(pod: Pod, constraints: Constraint[], nodes: readonly NodeInfo[]): SpreadState {
  const counts = constraints.map(() => new Map<string, number>());
  const ns = pod.metadata.namespace ?? '';
  for (const n of nodes) {
    const node = n.node;
    if (!node) continue;
    const labels = node.metadata.labels ?? {};
    if (!constraints.every((c) => Object.hasOwn(labels, c.topologyKey))) continue;
    constraints.forEach((c, i) => {
      if (c.honorAffinity && !podMatchesNodeSelectorAndAffinityTerms(pod.spec, node)) return;
      if (
        c.honorTaints &&
        findMatchingUntoleratedTaint(
          node.spec.taints,
          pod.spec.tolerations,
          (t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute',
        )
      )
        return;
      let m = 0;
      for (const p of n.pods.values())
        if (
          p.pod.metadata.namespace === ns &&
          !p.pod.metadata.deletionTimestamp &&
          c.selector.matches(p.pod.metadata.labels ?? {})
        )
          m++;
      const v = labels[c.topologyKey]!;
      const ci = counts[i]!;
      ci.set(v, (ci.get(v) ?? 0) + m);
    });
  }
  const selfMatch = constraints.map((c) => (c.selector.matches(pod.metadata.labels ?? {}) ? 1 : 0));
  return { constraints, counts, selfMatch };
}

export class PodTopologySpread
  implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin
{
  readonly name = Name;
  constructor(private readonly handle: Handle) {}

  preFilter(s: CycleState, pod: Pod) {
    const constraints = buildConstraints(pod, 'DoNotSchedule');
    if (constraints.length === 0) {
      s.skipFilter.add(Name);
      return skip;
    }
    s.write(Name, countPods(pod, constraints, this.handle.snapshot().nodes));
  }

  filter(s: CycleState, _pod: Pod, node: NodeInfo) {
    const st = s.read<SpreadState>(Name);
    if (!st) return success;
    const labels = node.node?.metadata.labels ?? {};
    for (let i = 0; i < st.constraints.length; i++) {
      const c = st.constraints[i]!;
      if (!Object.hasOwn(labels, c.topologyKey)) return unresolvable(ErrReasonNodeLabelNotMatch);
      const counts = st.counts[i]!;
      let min = Infinity;
      for (const v of counts.values()) if (v < min) min = v;
      if (!isFinite(min) || counts.size < c.minDomains) min = 0;
      const here = counts.get(labels[c.topologyKey]!) ?? 0;
      if (here + st.selfMatch[i]! - min > c.maxSkew)
        return unschedulable(ErrReasonConstraintsNotMatch);
    }
    return success;
  }

  preScore(s: CycleState, pod: Pod) {
    const constraints = buildConstraints(pod, 'ScheduleAnyway');
    if (constraints.length === 0) {
      s.skipScore.add(`${Name}`);
      return skip;
    }
    s.write(`${Name}/score`, countPods(pod, constraints, this.handle.snapshot().nodes));
  }

  score(s: CycleState, _pod: Pod, node: NodeInfo): number {
    const st = s.read<SpreadState>(`${Name}/score`);
    if (!st) return 0;
    const labels = node.node?.metadata.labels ?? {};
    let total = 0;
    for (let i = 0; i < st.constraints.length; i++) {
      const c = st.constraints[i]!;
      if (!Object.hasOwn(labels, c.topologyKey)) return -1; // normalized to 0 below
      const counts = st.counts[i]!;
      const weight = Math.log(counts.size + 2);
      total += ((counts.get(labels[c.topologyKey]!) ?? 0) + c.maxSkew - 1) * weight;
    }
    return Math.round(total);
  }

  normalizeScore(_s: CycleState, _pod: Pod, scores: NodeScore[]): void {
    let min = Infinity;
    let max = -Infinity;
    for (const x of scores)
      if (x.score >= 0) {
        if (x.score < min) min = x.score;
        if (x.score > max) max = x.score;
      }
    for (const x of scores) {
      if (x.score < 0) x.score = 0;
      else if (max === min) x.score = MaxNodeScore;
      else x.score = Math.floor((MaxNodeScore * (max + min - x.score)) / max);
    }
  }
}

export const factory: PluginFactory = (_args, handle) => new PodTopologySpread(handle);
