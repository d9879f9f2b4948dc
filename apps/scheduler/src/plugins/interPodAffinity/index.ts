/**
 * InterPodAffinity. Filter, over topology domains (the value of a term's topologyKey label):
 * - the pod's required affinity: every term must find a matching pod in the node's domain —
 *   unless no pod matches anywhere and the pod matches its own terms (the first of a group);
 * - the pod's required anti-affinity: no term may find a matching pod in the node's domain;
 * - existing pods' required anti-affinity: no pod in the node's domain may repel this pod.
 * Score: the preferred terms of both sides (and existing pods' required affinity, at
 * hardPodAffinityWeight), summed per domain, normalized to 0..100 between min and max.
 */
import type { Pod } from '@kubeling/api';
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
import type { AffinityTerm } from './terms';
import {
  preferredAffinityTerms,
  preferredAntiAffinityTerms,
  requiredAffinityTerms,
  requiredAntiAffinityTerms,
  termMatches,
} from './terms';

export const Name = 'InterPodAffinity';
export const ErrReasonAffinityRulesNotMatch = "node(s) didn't match pod affinity rules";
export const ErrReasonAntiAffinityRulesNotMatch = "node(s) didn't match pod anti-affinity rules";
export const ErrReasonExistingAntiAffinityRulesNotMatch =
  "node(s) didn't satisfy existing pods anti-affinity rules";

/** "key=value" → number of matching pods in that domain. */
type Counts = Map<string, number>;
const pair = (k: string, v: string) => `${k}\u0000${v}`;

interface FilterState {
  affinity: AffinityTerm[];
  antiAffinity: AffinityTerm[];
  affinityCounts: Counts;
  antiAffinityCounts: Counts;
  existingAntiAffinityCounts: Counts;
  podMatchesOwnAffinity: boolean;
}

export interface InterPodAffinityArgs {
  hardPodAffinityWeight?: number;
  ignorePreferredTermsOfExistingPods?: boolean;
}

const inc = (c: Counts, k: string, by = 1) => c.set(k, (c.get(k) ?? 0) + by);

export class InterPodAffinity
  implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin
{
  readonly name = Name;
  private readonly hardWeight: number;
  private readonly ignorePreferredOfExisting: boolean;

  constructor(
    private readonly handle: Handle,
    args: InterPodAffinityArgs = {},
  ) {
    this.hardWeight = args.hardPodAffinityWeight ?? 1;
    this.ignorePreferredOfExisting = args.ignorePreferredTermsOfExistingPods ?? false;
  }

  private nsOf = (n: string) => this.handle.namespace(n);

  preFilter(s: CycleState, pod: Pod, nodes: readonly NodeInfo[]) {
    const affinity = requiredAffinityTerms(pod);
    const antiAffinity = requiredAntiAffinityTerms(pod);
    const st: FilterState = {
      affinity,
      antiAffinity,
      affinityCounts: new Map(),
      antiAffinityCounts: new Map(),
      existingAntiAffinityCounts: new Map(),
      podMatchesOwnAffinity: affinity.every((t) => termMatches(t, pod, this.nsOf)),
    };
    // Existing pods whose required anti-affinity repels this pod.
    for (const n of this.handle.snapshot().havePodsWithAffinity()) {
      const labels = n.node?.metadata.labels ?? {};
      for (const p of n.podsWithAffinity.values())
        for (const t of requiredAntiAffinityTerms(p.pod))
          if (Object.hasOwn(labels, t.topologyKey) && termMatches(t, pod, this.nsOf))
            inc(st.existingAntiAffinityCounts, pair(t.topologyKey, labels[t.topologyKey]!));
    }
    if (affinity.length > 0 || antiAffinity.length > 0)
      for (const n of nodes) {
        const labels = n.node?.metadata.labels ?? {};
        for (const p of n.pods.values()) {
          if (affinity.length > 0 && affinity.every((t) => termMatches(t, p.pod, this.nsOf)))
            for (const t of affinity)
              if (Object.hasOwn(labels, t.topologyKey))
                inc(st.affinityCounts, pair(t.topologyKey, labels[t.topologyKey]!));
          for (const t of antiAffinity)
            if (Object.hasOwn(labels, t.topologyKey) && termMatches(t, p.pod, this.nsOf))
              inc(st.antiAffinityCounts, pair(t.topologyKey, labels[t.topologyKey]!));
        }
      }
    if (
      affinity.length === 0 &&
      antiAffinity.length === 0 &&
      st.existingAntiAffinityCounts.size === 0
    ) {
      s.skipFilter.add(Name);
      return skip;
    }
    s.write(Name, st);
  }

  filter(s: CycleState, _pod: Pod, node: NodeInfo) {
    const st = s.read<FilterState>(Name);
    if (!st) return success;
    const labels = node.node?.metadata.labels ?? {};
    // satisfyPodAffinity
    if (st.affinity.length > 0) {
      let ok = true;
      for (const t of st.affinity)
        if (
          !Object.hasOwn(labels, t.topologyKey) ||
          !(st.affinityCounts.get(pair(t.topologyKey, labels[t.topologyKey]!)) ?? 0)
        ) {
          ok = false;
          break;
        }
      // No pod matches anywhere: the pod may start its group if it matches its own terms and
      // the node has the topology keys.
      if (
        !ok &&
        !(
          st.affinityCounts.size === 0 &&
          st.podMatchesOwnAffinity &&
          st.affinity.every((t) => Object.hasOwn(labels, t.topologyKey))
        )
      )
        return unresolvable(ErrReasonAffinityRulesNotMatch);
    }
    for (const t of st.antiAffinity)
      if (
        Object.hasOwn(labels, t.topologyKey) &&
        (st.antiAffinityCounts.get(pair(t.topologyKey, labels[t.topologyKey]!)) ?? 0) > 0
      )
        return unschedulable(ErrReasonAntiAffinityRulesNotMatch);
    if (st.existingAntiAffinityCounts.size > 0)
      for (const [k, v] of Object.entries(labels))
        if ((st.existingAntiAffinityCounts.get(pair(k, v)) ?? 0) > 0)
          return unschedulable(ErrReasonExistingAntiAffinityRulesNotMatch);
    return success;
  }

  preScore(s: CycleState, pod: Pod) {
    const prefAff = preferredAffinityTerms(pod);
    const prefAnti = preferredAntiAffinityTerms(pod);
    const hasOwn = prefAff.length > 0 || prefAnti.length > 0;
    const scores: Counts = new Map();
    const snapshot = this.handle.snapshot();
    const nodes = hasOwn ? snapshot.nodes : snapshot.havePodsWithAffinity();
    for (const n of nodes) {
      const labels = n.node?.metadata.labels ?? {};
      const add = (t: AffinityTerm, sign: number, target: Pod) => {
        if (Object.hasOwn(labels, t.topologyKey) && termMatches(t, target, this.nsOf))
          inc(scores, pair(t.topologyKey, labels[t.topologyKey]!), sign * t.weight);
      };
      const existing = hasOwn ? n.pods.values() : n.podsWithAffinity.values();
      for (const p of existing) {
        for (const t of prefAff) add(t, 1, p.pod);
        for (const t of prefAnti) add(t, -1, p.pod);
        if (!p.pod.spec.affinity?.podAffinity && !p.pod.spec.affinity?.podAntiAffinity) continue;
        if (this.hardWeight > 0)
          for (const t of requiredAffinityTerms(p.pod))
            add({ ...t, weight: this.hardWeight }, 1, pod);
        if (!this.ignorePreferredOfExisting) {
          for (const t of preferredAffinityTerms(p.pod)) add(t, 1, pod);
          for (const t of preferredAntiAffinityTerms(p.pod)) add(t, -1, pod);
        }
      }
    }
    if (scores.size === 0) {
      s.skipScore.add(Name);
      return skip;
    }
    s.write(`${Name}/score`, scores);
  }

  score(s: CycleState, _pod: Pod, node: NodeInfo): number {
    const scores = s.read<Counts>(`${Name}/score`);
    if (!scores) return 0;
    let total = 0;
    for (const [k, v] of Object.entries(node.node?.metadata.labels ?? {}))
      total += scores.get(pair(k, v)) ?? 0;
    return total;
  }

  normalizeScore(_s: CycleState, _pod: Pod, scores: NodeScore[]): void {
    let min = Infinity;
    let max = -Infinity;
    for (const x of scores) {
      if (x.score < min) min = x.score;
      if (x.score > max) max = x.score;
    }
    const diff = max - min;
    for (const x of scores)
      x.score = diff > 0 ? Math.floor((MaxNodeScore * (x.score - min)) / diff) : 0;
  }
}

export const factory: PluginFactory = (args, handle) =>
  new InterPodAffinity(handle, args as InterPodAffinityArgs);
