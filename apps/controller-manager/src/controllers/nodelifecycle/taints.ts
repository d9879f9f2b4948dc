/**
 * The taints the node lifecycle controller owns (upstream's doNoExecuteTaintingPass and
 * TaintNodesByCondition): which a node should carry given its conditions, and the node's taint
 * list with those put right and every other taint kept.
 */
import type { Node, NodeCondition, Taint } from '@kubeling/api';

export const TaintNodeNotReady = 'node.kubernetes.io/not-ready';
export const TaintNodeUnreachable = 'node.kubernetes.io/unreachable';
export const TaintNodeUnschedulable = 'node.kubernetes.io/unschedulable';
export const TaintNodeMemoryPressure = 'node.kubernetes.io/memory-pressure';
export const TaintNodeDiskPressure = 'node.kubernetes.io/disk-pressure';
export const TaintNodePIDPressure = 'node.kubernetes.io/pid-pressure';
export const TaintNodeNetworkUnavailable = 'node.kubernetes.io/network-unavailable';

/** Every taint this controller manages: key and effect. */
const managed: Array<[string, Taint['effect']]> = [
  [TaintNodeNotReady, 'NoExecute'],
  [TaintNodeUnreachable, 'NoExecute'],
  [TaintNodeNotReady, 'NoSchedule'],
  [TaintNodeUnreachable, 'NoSchedule'],
  [TaintNodeUnschedulable, 'NoSchedule'],
  [TaintNodeMemoryPressure, 'NoSchedule'],
  [TaintNodeDiskPressure, 'NoSchedule'],
  [TaintNodePIDPressure, 'NoSchedule'],
  [TaintNodeNetworkUnavailable, 'NoSchedule'],
];

const condition = (node: Node, type: string): NodeCondition | undefined =>
  node.status?.conditions?.find((c) => c.type === type);

/** The managed taints `node` should carry, as key/effect pairs. */
export function wantedTaints(node: Node): Array<[string, Taint['effect']]> {
  const out: Array<[string, Taint['effect']]> = [];
  const ready = condition(node, 'Ready')?.status;
  // NoExecute: Ready False → not-ready, Unknown → unreachable (a node that never reported has
  // no taint until its startup grace period makes it Unknown).
  if (ready === 'False')
    out.push([TaintNodeNotReady, 'NoExecute'], [TaintNodeNotReady, 'NoSchedule']);
  if (ready === 'Unknown')
    out.push([TaintNodeUnreachable, 'NoExecute'], [TaintNodeUnreachable, 'NoSchedule']);
  const pressure: Array<[string, string]> = [
    ['MemoryPressure', TaintNodeMemoryPressure],
    ['DiskPressure', TaintNodeDiskPressure],
    ['PIDPressure', TaintNodePIDPressure],
    ['NetworkUnavailable', TaintNodeNetworkUnavailable],
  ];
  for (const [type, key] of pressure)
    if (condition(node, type)?.status === 'True') out.push([key, 'NoSchedule']);
  if (node.spec?.unschedulable) out.push([TaintNodeUnschedulable, 'NoSchedule']);
  return out;
}

/**
 * What the zone's disruption state allows for the NoExecute taints (upstream's eviction rate
 * per zone state): `taint` as the conditions say, `keep` the ones there (no new ones: rate 0),
 * `none` (every node of every zone is down: the controller's own view is suspect).
 */
export type NoExecutePolicy = 'taint' | 'keep' | 'none';

/**
 * The node's taints with the managed ones as wanted: taints already there keep their
 * timeAdded, new NoExecute taints are stamped `now` (the eviction clock starts there).
 */
export function reconcileTaints(
  node: Node,
  now: string,
  noExecute: NoExecutePolicy = 'taint',
): Taint[] {
  const current = node.spec?.taints ?? [];
  const wanted = wantedTaints(node).filter(
    ([, effect]) => effect !== 'NoExecute' || noExecute === 'taint',
  );
  if (noExecute === 'keep')
    for (const t of current)
      if (
        t.effect === 'NoExecute' &&
        (t.key === TaintNodeNotReady || t.key === TaintNodeUnreachable)
      )
        wanted.push([t.key, 'NoExecute']);
  const want = wanted;
  const isManaged = (t: Taint) => managed.some(([k, e]) => k === t.key && e === t.effect);
  const isWanted = (t: Taint) => want.some(([k, e]) => k === t.key && e === t.effect);
  const kept = current.filter((t) => !isManaged(t) || isWanted(t));
  for (const [key, effect] of want)
    if (!kept.some((t) => t.key === key && t.effect === effect))
      kept.push(effect === 'NoExecute' ? { key, effect, timeAdded: now } : { key, effect });
  return kept;
}
