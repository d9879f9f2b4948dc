/**
 * Node selectors and required node affinity (upstream's component-helpers/scheduling/corev1
 * nodeaffinity): one matcher for the scheduler's NodeAffinity plugin, the kubelet's admission
 * and DaemonSets.
 *
 * - `spec.nodeSelector`: every label must be present with that value.
 * - A NodeSelector: its terms are ORed; a term's expressions and fields are ANDed; a term with
 *   neither matches nothing, and so does a selector without terms.
 * - Operators In / NotIn / Exists / DoesNotExist on labels; Gt / Lt compare the label's value
 *   and the single value as integers (a label that is not an integer does not match).
 * - matchFields: only `metadata.name` (In / NotIn), matched against the node's name.
 */
import type { NodeSelector, NodeSelectorRequirement, NodeSelectorTerm } from './affinity';
import type { Node } from './node';
import type { PodSpec } from './podSpec';

function parseInteger(s: string | undefined): bigint | undefined {
  if (s === undefined || !/^[+-]?[0-9]+$/.test(s)) return undefined;
  return BigInt(s);
}

/** One requirement of a term's matchExpressions against labels. */
export function nodeSelectorRequirementMatches(
  req: NodeSelectorRequirement,
  labels: Record<string, string> | undefined,
): boolean {
  const key = req.key ?? '';
  const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, key);
  const value = has ? labels[key] : undefined;
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
      return has && values.includes(value as string);
    case 'NotIn':
      return !has || !values.includes(value as string);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      if (!has || values.length !== 1) return false;
      const l = parseInteger(value);
      const r = parseInteger(values[0]);
      if (l === undefined || r === undefined) return false;
      return req.operator === 'Gt' ? l > r : l < r;
    }
    default:
      return false;
  }
}

/** One requirement of a term's matchFields against the node (only metadata.name exists). */
export function nodeFieldRequirementMatches(
  req: NodeSelectorRequirement,
  node: Pick<Node, 'metadata'>,
): boolean {
  if (req.key !== 'metadata.name') return false;
  const name = node.metadata.name ?? '';
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
      return values.includes(name);
    case 'NotIn':
      return !values.includes(name);
    default:
      return false;
  }
}

/** A term: all its expressions and fields hold; a term with neither matches nothing. */
export function nodeSelectorTermMatches(
  term: NodeSelectorTerm,
  node: Pick<Node, 'metadata'>,
): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata.labels;
  return (
    exprs.every((r) => nodeSelectorRequirementMatches(r, labels)) &&
    fields.every((r) => nodeFieldRequirementMatches(r, node))
  );
}

/** A NodeSelector: any of its terms matches (no terms: nothing). */
export function nodeSelectorMatches(selector: NodeSelector, node: Pick<Node, 'metadata'>): boolean {
  return (selector.nodeSelectorTerms ?? []).some((t) => nodeSelectorTermMatches(t, node));
}

/** spec.nodeSelector: every label present with that value. */
export function nodeSelectorLabelsMatch(
  selector: Record<string, string> | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  for (const [k, v] of Object.entries(selector ?? {})) if (labels?.[k] !== v) return false;
  return true;
}

/**
 * GetRequiredNodeAffinity(pod).Match(node): the pod's nodeSelector and its required node
 * affinity both hold (an absent affinity holds).
 */
export function podMatchesNodeSelectorAndAffinityTerms(
  spec: Pick<PodSpec, 'nodeSelector' | 'affinity'>,
  node: Pick<Node, 'metadata'>,
): boolean {
  if (!nodeSelectorLabelsMatch(spec.nodeSelector, node.metadata.labels)) return false;
  const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  return required === undefined || nodeSelectorMatches(required, node);
}
