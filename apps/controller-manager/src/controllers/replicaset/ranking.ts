/**
 * Which pods a ReplicaSet deletes first when it has too many (kubernetes controller_utils.go
 * ActivePodsWithRanks, with the LogarithmicScaleDown feature on, as it is by default since 1.22).
 * A pod sorts earlier — is deleted sooner — when, in this order of precedence, it is:
 *
 *  1. unscheduled (no nodeName) rather than scheduled;
 *  2. Pending rather than Unknown rather than Running;
 *  3. not ready rather than ready;
 *  4. of lower `controller.kubernetes.io/pod-deletion-cost`;
 *  5. on a node with more pods of the same owner family ("doubled up", the rank);
 *  6. ready for less time (both ready) — compared in log2 buckets of the time since, ties
 *     broken by uid, so that scale-down is spread instead of always hitting the newest;
 *  7. with more container restarts;
 *  8. newer (created later), in the same log2 buckets.
 */
import type { Pod } from '@kubeling/api';
import { parseTime } from '@kubeling/api';
import { getPodReadyCondition, isPodReady } from '@kubeling/client';

export const PodDeletionCost = 'controller.kubernetes.io/pod-deletion-cost';

const phaseOrdinal = (p: Pod): number => {
  switch (p.status?.phase) {
    case 'Pending':
      return 0;
    case 'Unknown':
      return 1;
    case 'Running':
      return 2;
    default:
      return 3;
  }
};

/** The deletion cost annotation; an absent or invalid one counts as 0, as upstream. */
function deletionCost(p: Pod): number {
  const v = p.metadata.annotations?.[PodDeletionCost];
  if (v === undefined || !/^[-+]?\d+$/.test(v)) return 0;
  const n = Number(v);
  return Number.isSafeInteger(n) && n >= -2147483648 && n <= 2147483647 ? n : 0;
}

function maxRestarts(p: Pod): number {
  let max = 0;
  for (const s of p.status?.containerStatuses ?? []) max = Math.max(max, s.restartCount ?? 0);
  return max;
}

/** podReadyTime: when the pod last became ready (NaN if unknown). */
function readyTime(p: Pod): number {
  return parseTime(getPodReadyCondition(p)?.lastTransitionTime);
}

/** afterOrZero: t1 is zero, or after t2 (a zero time counts as the newest). */
function afterOrZero(t1: number, t2: number): boolean {
  if (Number.isNaN(t1) || Number.isNaN(t2)) return Number.isNaN(t1);
  return t1 > t2;
}

/** logarithmicRankDiff: the difference of floor(log2(ns since t)) of both times. */
function logarithmicRankDiff(t1: number, t2: number, now: number): number {
  const rank = (t: number) => {
    const d = (now - t) * 1e6;
    return d > 0 ? Math.floor(Math.log2(d)) : -1;
  };
  return rank(t1) - rank(t2);
}

function compareTimes(a: Pod, b: Pod, t1: number, t2: number, now: number): boolean {
  if (Number.isNaN(now) || Number.isNaN(t1) || Number.isNaN(t2)) return afterOrZero(t1, t2);
  const diff = logarithmicRankDiff(t1, t2, now);
  if (diff === 0) return (a.metadata.uid ?? '') < (b.metadata.uid ?? '');
  return diff < 0;
}

/** ActivePodsWithRanks.Less: whether `a` should be deleted before `b`. */
export function deleteBefore(a: Pod, rankA: number, b: Pod, rankB: number, now: number): boolean {
  const na = a.spec.nodeName ?? '';
  const nb = b.spec.nodeName ?? '';
  if (na !== nb && (na === '' || nb === '')) return na === '';
  const pa = phaseOrdinal(a);
  const pb = phaseOrdinal(b);
  if (pa !== pb) return pa < pb;
  const ra = isPodReady(a);
  const rb = isPodReady(b);
  if (ra !== rb) return !ra;
  const ca = deletionCost(a);
  const cb = deletionCost(b);
  if (ca !== cb) return ca < cb;
  if (rankA !== rankB) return rankA > rankB;
  if (ra && rb) {
    const t1 = readyTime(a);
    const t2 = readyTime(b);
    if (t1 !== t2 && !(Number.isNaN(t1) && Number.isNaN(t2)))
      return compareTimes(a, b, t1, t2, now);
  }
  const xa = maxRestarts(a);
  const xb = maxRestarts(b);
  if (xa !== xb) return xa > xb;
  const c1 = parseTime(a.metadata.creationTimestamp);
  const c2 = parseTime(b.metadata.creationTimestamp);
  if (c1 !== c2 && !(Number.isNaN(c1) && Number.isNaN(c2))) return compareTimes(a, b, c1, c2, now);
  return false;
}

/**
 * getPodsToDelete: the `diff` pods to delete among `pods`. Each pod's rank is the number of
 * `related` active pods (this owner's and its siblings', e.g. the other ReplicaSets of one
 * Deployment) on its node, so a node running several of them loses one first.
 */
export function podsToDelete(pods: Pod[], related: Pod[], diff: number, now: number): Pod[] {
  if (diff >= pods.length) return pods.slice(0, diff);
  const perNode = new Map<string, number>();
  for (const p of related) {
    const node = p.spec.nodeName;
    if (!node || p.metadata.deletionTimestamp) continue;
    perNode.set(node, (perNode.get(node) ?? 0) + 1);
  }
  const ranked = pods.map((pod) => ({
    pod,
    rank: pod.spec.nodeName ? (perNode.get(pod.spec.nodeName) ?? 0) : 0,
  }));
  ranked.sort((x, y) =>
    deleteBefore(x.pod, x.rank, y.pod, y.rank, now)
      ? -1
      : deleteBefore(y.pod, y.rank, x.pod, x.rank, now)
        ? 1
        : 0,
  );
  return ranked.slice(0, diff).map((r) => r.pod);
}
