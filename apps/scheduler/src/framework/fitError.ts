/**
 * FitError's message (upstream's framework.FitError.Error): "0/N nodes are available:" then each
 * distinct reason with how many nodes gave it, sorted as strings, then what PostFilter said:
 *   0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match Pod's node
 *   affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for
 *   scheduling.
 */
import type { Status } from './status';

export function fitErrorMessage(
  numAllNodes: number,
  statuses: ReadonlyMap<string, Status>,
  preFilterMsg?: string,
  postFilterMsg?: string,
): string {
  let msg = `0/${numAllNodes} nodes are available:`;
  if (preFilterMsg) msg += ` ${preFilterMsg}.`;
  else {
    const histogram = new Map<string, number>();
    for (const s of statuses.values())
      for (const r of s.reasons) histogram.set(r, (histogram.get(r) ?? 0) + 1);
    const parts = [...histogram].map(([r, n]) => `${n} ${r}`).sort();
    msg += ` ${parts.join(', ')}.`;
  }
  if (postFilterMsg) msg += ` ${postFilterMsg}`;
  return msg;
}
