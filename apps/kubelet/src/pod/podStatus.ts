/**
 * A pod's status as the kubelet computes it (pkg/kubelet/kubelet_pods.go getPhase and
 * generateAPIPodStatus, pkg/kubelet/status/generate.go for the conditions): the phase from the
 * containers' states and the restart policy, and the five conditions with upstream's reasons
 * and messages. kubectl derives its STATUS column (Init:0/1, PodInitializing,
 * CrashLoopBackOff, Completed, Terminating ...) from exactly these fields.
 */
import type { ContainerStatus, Pod, PodCondition, PodPhase } from '@kubeling/api';
import { rfc3339 } from '@kubeling/api';

/** getPhase: the pod's phase from its init and regular container statuses. */
export function podPhase(
  pod: Pod,
  init: readonly ContainerStatus[],
  regular: readonly ContainerStatus[],
  sidecars: ReadonlySet<string>,
): PodPhase {
  const policy = pod.spec.restartPolicy ?? 'Always';
  let pendingInit = false;
  for (const s of init) {
    if (sidecars.has(s.name)) {
      if (!s.started) pendingInit = true;
      continue;
    }
    const t = s.state?.terminated;
    if (t && t.exitCode === 0) continue;
    if (t && policy === 'Never') return 'Failed';
    if (s.state?.waiting && s.lastState?.terminated && policy === 'Never') return 'Failed';
    pendingInit = true;
  }
  let waiting = 0;
  let running = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const s of regular) {
    if (s.state?.running) running++;
    else if (s.state?.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.lastState?.terminated) stopped++;
    else waiting++;
  }
  if (pendingInit) return 'Pending';
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0) {
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'OnFailure') return 'Running';
    return 'Failed';
  }
  return 'Pending';
}

function condition(
  type: string,
  ok: boolean,
  nowMs: number,
  old: readonly PodCondition[],
  reason?: string,
  message?: string,
): PodCondition {
  const status = ok ? 'True' : 'False';
  const prev = old.find((c) => c.type === type);
  const c: PodCondition = {
    type,
    status,
    lastTransitionTime:
      prev && prev.status === status && prev.lastTransitionTime
        ? prev.lastTransitionTime
        : rfc3339(nowMs),
  };
  if (reason) c.reason = reason;
  if (message) c.message = message;
  return c;
}

export interface ConditionInputs {
  sandboxReady: boolean;
  phase: PodPhase;
  init: readonly ContainerStatus[];
  regular: readonly ContainerStatus[];
  sidecars: ReadonlySet<string>;
}

/** The kubelet-owned conditions plus any others already on the pod (PodScheduled, DisruptionTarget). */
export function podConditions(pod: Pod, inp: ConditionInputs, nowMs: number): PodCondition[] {
  const old = pod.status?.conditions ?? [];
  const owned = new Set(['PodReadyToStartContainers', 'Initialized', 'ContainersReady', 'Ready']);
  const completed = inp.phase === 'Succeeded';
  const incompleteInit = inp.init
    .filter((s) =>
      inp.sidecars.has(s.name)
        ? !s.started
        : !(s.state?.terminated && s.state.terminated.exitCode === 0),
    )
    .map((s) => s.name);
  const initialized = incompleteInit.length === 0 || completed;
  const unready = [
    ...inp.init.filter((s) => inp.sidecars.has(s.name) && !s.ready).map((s) => s.name),
    ...inp.regular.filter((s) => !s.ready).map((s) => s.name),
  ];
  const ready = initialized && unready.length === 0 && !completed && inp.phase === 'Running';
  const notReady = (): [string, string] =>
    completed
      ? ['PodCompleted', '']
      : !initialized
        ? [
            'ContainersNotInitialized',
            `containers with incomplete status: [${incompleteInit.join(' ')}]`,
          ]
        : ['ContainersNotReady', `containers with unready status: [${unready.join(' ')}]`];
  const out: PodCondition[] = [
    condition('PodReadyToStartContainers', inp.sandboxReady, nowMs, old),
    initialized
      ? condition('Initialized', true, nowMs, old, completed ? 'PodCompleted' : undefined)
      : condition(
          'Initialized',
          false,
          nowMs,
          old,
          'ContainersNotInitialized',
          `containers with incomplete status: [${incompleteInit.join(' ')}]`,
        ),
    ready
      ? condition('Ready', true, nowMs, old)
      : condition('Ready', false, nowMs, old, ...notReady()),
    ready
      ? condition('ContainersReady', true, nowMs, old)
      : condition('ContainersReady', false, nowMs, old, ...notReady()),
  ];
  const others = old.filter((c) => !owned.has(c.type));
  if (!others.some((c) => c.type === 'PodScheduled'))
    others.push(condition('PodScheduled', true, nowMs, old));
  // Upstream's order: PodReadyToStartContainers, Initialized, Ready, ContainersReady, PodScheduled.
  return [...out, ...others];
}
