/**
 * TaintToleration: Filter rejects a node with a NoSchedule or NoExecute taint the pod does not
 * tolerate (the rule is @kubeling/api's, shared with the kubelet and the taint manager). Score
 * counts the PreferNoSchedule taints the pod does not tolerate; fewer is better (normalized in
 * reverse).
 */
import type { Pod, Taint } from '@kubeling/api';
import { findMatchingUntoleratedTaint, tolerationsTolerateTaint } from '@kubeling/api';
import type {
  CycleState,
  FilterPlugin,
  NodeScore,
  PluginFactory,
  ScorePlugin,
} from '../../framework/interface';
import { defaultNormalizeScore, MaxNodeScore } from '../../framework/interface';
import type { NodeInfo } from '../../framework/nodeInfo';
import { success, unresolvable } from '../../framework/status';

export const Name = 'TaintToleration';

const noScheduleOrExecute = (t: Taint) => t.effect === 'NoSchedule' || t.effect === 'NoExecute';

export class TaintToleration implements FilterPlugin, ScorePlugin {
  readonly name = Name;

  filter(_s: CycleState, pod: Pod, info: NodeInfo) {
    const taint = findMatchingUntoleratedTaint(
      info.node!.spec.taints,
      pod.spec.tolerations,
      noScheduleOrExecute,
    );
    if (!taint) return success;
    return unresolvable(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`);
  }

  score(_s: CycleState, pod: Pod, info: NodeInfo): number {
    // Only the pod's tolerations that could tolerate PreferNoSchedule count (upstream).
    const tolerations = (pod.spec.tolerations ?? []).filter(
      (t) => !t.effect || t.effect === 'PreferNoSchedule',
    );
    let n = 0;
    for (const t of info.node!.spec.taints ?? [])
      if (t.effect === 'PreferNoSchedule' && !tolerationsTolerateTaint(tolerations, t)) n++;
    return n;
  }

  normalizeScore(_s: CycleState, _pod: Pod, scores: NodeScore[]): void {
    defaultNormalizeScore(MaxNodeScore, true, scores);
  }
}

export const factory: PluginFactory = () => new TaintToleration();
