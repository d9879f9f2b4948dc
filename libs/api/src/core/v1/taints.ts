/**
 * Which tolerations tolerate which taints (upstream's v1helper ToleratesTaint and
 * FindMatchingUntoleratedTaint): one rule for the scheduler's TaintToleration plugin, the
 * kubelet's admission, the node lifecycle controller's NoExecute eviction and DaemonSets.
 */
import type { Toleration } from './affinity';
import type { Taint } from './node';

/**
 * True when `toleration` tolerates `taint`: same effect (or the toleration names none), same
 * key (or an empty key with operator Exists, which tolerates everything), and operator Exists
 * or an equal value (`Equal`, the default).
 */
export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? 'Equal') {
    case 'Exists':
      return true;
    case 'Equal':
    case '':
      // An empty key is only valid with Exists; validation rejects it otherwise.
      return (toleration.value ?? '') === (taint.value ?? '');
    default:
      return false;
  }
}

/** True when some toleration in the list tolerates `taint`. */
export function tolerationsTolerateTaint(
  tolerations: readonly Toleration[] | undefined,
  taint: Taint,
): boolean {
  return (tolerations ?? []).some((t) => toleratesTaint(t, taint));
}

/**
 * The first taint that `include` selects (e.g. effect NoSchedule or NoExecute) and no
 * toleration tolerates, or undefined when every selected taint is tolerated.
 */
export function findMatchingUntoleratedTaint(
  taints: readonly Taint[] | undefined,
  tolerations: readonly Toleration[] | undefined,
  include: (taint: Taint) => boolean = () => true,
): Taint | undefined {
  return (taints ?? []).find(
    (taint) => include(taint) && !tolerationsTolerateTaint(tolerations, taint),
  );
}
