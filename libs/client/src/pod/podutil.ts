/**
 * Pod helpers every workload controller needs (kubernetes pkg/api/v1/pod/util.go and
 * pkg/controller/controller_utils.go), with upstream's exact rules so counts agree with
 * kubectl and with upstream controllers.
 */
import type { Pod, PodCondition } from '@kubeling/api';
import { parseTime } from '@kubeling/api';
import { objectKey } from '../resources';

/** controller.PodKey: `namespace/name`. */
export function podKey(pod: Pod): string {
  return objectKey(pod);
}

/** podutil.GetPodReadyCondition: the `Ready` condition, if the kubelet set one. */
export function getPodReadyCondition(pod: Pod): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

/** podutil.IsPodReady: the Ready condition is True. */
export function isPodReady(pod: Pod): boolean {
  return getPodReadyCondition(pod)?.status === 'True';
}

/**
 * podutil.IsPodAvailable: ready, and (when minReadySeconds > 0) ready for longer than
 * minReadySeconds at `nowMs` — strictly: Ready since t is available only after
 * t + minReadySeconds, not at that instant. A Ready condition without a transition time never
 * becomes available under a minReadySeconds, as upstream.
 */
export function isPodAvailable(pod: Pod, minReadySeconds: number, nowMs: number): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds <= 0) return true;
  const since = parseTime(getPodReadyCondition(pod)?.lastTransitionTime);
  return !Number.isNaN(since) && since + minReadySeconds * 1000 < nowMs;
}

/** podutil.IsPodTerminal: Succeeded or Failed; its containers will not run again. */
export function isPodTerminal(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/**
 * controller.IsPodActive: not terminal and not being deleted — the pods a ReplicaSet counts
 * towards its replicas.
 */
export function isPodActive(pod: Pod): boolean {
  return !isPodTerminal(pod) && !pod.metadata.deletionTimestamp;
}
