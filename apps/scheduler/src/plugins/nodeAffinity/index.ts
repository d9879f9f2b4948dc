/**
 * NodeAffinity: Filter keeps the nodes matching the pod's spec.nodeSelector and required node
 * affinity (shared matcher in @kubeling/api); PreFilter narrows the attempt to the names a
 * `metadata.name In` field term lists. Score sums the weights of the preferred terms a node
 * matches, normalized to 0..100. Args: addedAffinity (applied to every pod of the profile).
 */
import type { NodeAffinity as NodeAffinityT, Pod } from '@kubeling/api';
import {
  nodeSelectorMatches,
  nodeSelectorTermMatches,
  podMatchesNodeSelectorAndAffinityTerms,
} from '@kubeling/api';
import type {
  CycleState,
  FilterPlugin,
  NodeScore,
  PluginFactory,
  PreFilterPlugin,
  PreFilterResult,
  ScorePlugin,
} from '../../framework/interface';
import { defaultNormalizeScore, MaxNodeScore } from '../../framework/interface';
import type { NodeInfo } from '../../framework/nodeInfo';
import { success, unresolvable } from '../../framework/status';

export const Name = 'NodeAffinity';
export const ErrReasonPod = "node(s) didn't match Pod's node affinity/selector";
export const ErrReasonEnforced = "node(s) didn't match scheduler-enforced node affinity";

export interface NodeAffinityArgs {
  addedAffinity?: NodeAffinityT;
}

export class NodeAffinity implements PreFilterPlugin, FilterPlugin, ScorePlugin {
  readonly name = Name;
  constructor(private readonly args: NodeAffinityArgs = {}) {}

  preFilter(_s: CycleState, pod: Pod): PreFilterResult | void {
    const terms =
      pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
        ?.nodeSelectorTerms;
    if (!terms || terms.length === 0) return;
    // Only when every term pins names can the attempt be narrowed to them.
    const names = new Set<string>();
    for (const t of terms) {
      const f = (t.matchFields ?? []).find((r) => r.key === 'metadata.name' && r.operator === 'In');
      if (!f) return;
      for (const v of f.values ?? []) names.add(v);
    }
    return { nodeNames: names };
  }

  filter(_s: CycleState, pod: Pod, info: NodeInfo) {
    const node = info.node!;
    const added = this.args.addedAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    if (added && !nodeSelectorMatches(added, node)) return unresolvable(ErrReasonEnforced);
    if (!podMatchesNodeSelectorAndAffinityTerms(pod.spec, node)) return unresolvable(ErrReasonPod);
    return success;
  }

  score(_s: CycleState, pod: Pod, info: NodeInfo): number {
    const node = info.node!;
    let total = 0;
    const preferred = [
      ...(this.args.addedAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []),
      ...(pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []),
    ];
    for (const p of preferred)
      if (p.weight && nodeSelectorTermMatches(p.preference, node)) total += p.weight;
    return total;
  }

  normalizeScore(_s: CycleState, _pod: Pod, scores: NodeScore[]): void {
    defaultNormalizeScore(MaxNodeScore, false, scores);
  }
}

export const factory: PluginFactory = (args) => new NodeAffinity(args as NodeAffinityArgs);
