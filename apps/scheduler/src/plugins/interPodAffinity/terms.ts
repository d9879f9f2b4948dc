/**
 * A pod (anti-)affinity term made ready to match: its label selector parsed once, its namespaces
 * resolved (the listed ones, those namespaceSelector picks — `{}` picks all —, or the pod's own
 * namespace when neither is given), and matchLabelKeys / mismatchLabelKeys folded into the
 * selector from the owning pod's labels (upstream's framework.AffinityTerm).
 */
import type { Namespace, Pod, PodAffinityTerm, Selector } from '@kubeling/api';
import { labelSelectorAsSelector } from '@kubeling/api';

export interface AffinityTerm {
  selector: Selector;
  namespaces: Set<string>;
  nsSelector: Selector | undefined;
  topologyKey: string;
  weight: number;
}

export function newAffinityTerm(owner: Pod, term: PodAffinityTerm, weight = 1): AffinityTerm {
  const sel = structuredClone(term.labelSelector);
  if (sel) {
    const labels = owner.metadata.labels ?? {};
    const exprs = (sel.matchExpressions ??= []);
    for (const k of term.matchLabelKeys ?? [])
      if (labels[k] !== undefined) exprs.push({ key: k, operator: 'In', values: [labels[k]] });
    for (const k of term.mismatchLabelKeys ?? [])
      if (labels[k] !== undefined) exprs.push({ key: k, operator: 'NotIn', values: [labels[k]] });
  }
  const namespaces = new Set(term.namespaces ?? []);
  if (namespaces.size === 0 && !term.namespaceSelector)
    namespaces.add(owner.metadata.namespace ?? '');
  return {
    selector: labelSelectorAsSelector(sel),
    namespaces,
    nsSelector: term.namespaceSelector
      ? labelSelectorAsSelector(term.namespaceSelector)
      : undefined,
    topologyKey: term.topologyKey ?? '',
    weight,
  };
}

/** The term selects `pod`: its namespace is among the term's and its labels match. */
export function termMatches(
  term: AffinityTerm,
  pod: Pod,
  namespaceOf: (name: string) => Namespace | undefined,
): boolean {
  const ns = pod.metadata.namespace ?? '';
  if (!term.namespaces.has(ns)) {
    if (!term.nsSelector) return false;
    if (!term.nsSelector.matches(namespaceOf(ns)?.metadata.labels ?? {})) return false;
  }
  return term.selector.matches(pod.metadata.labels ?? {});
}

export const requiredAffinityTerms = (p: Pod) =>
  (p.spec.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) =>
    newAffinityTerm(p, t),
  );
export const requiredAntiAffinityTerms = (p: Pod) =>
  (p.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map(
    (t) => newAffinityTerm(p, t),
  );
export const preferredAffinityTerms = (p: Pod) =>
  (p.spec.affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((t) =>
    newAffinityTerm(p, t.podAffinityTerm, t.weight ?? 0),
  );
export const preferredAntiAffinityTerms = (p: Pod) =>
  (p.spec.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map(
    (t) => newAffinityTerm(p, t.podAffinityTerm, t.weight ?? 0),
  );
