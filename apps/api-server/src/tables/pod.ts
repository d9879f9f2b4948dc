/**
 * Pods as `kubectl get pods` shows them (printPod in pkg/printers/internalversion): READY counts
 * ready containers (sidecars, i.e. restartable init containers, included), STATUS is the most
 * telling reason found in phase, conditions and container states, RESTARTS carries the age of
 * the last restart ("3 (5m ago)"), and -o wide adds IP, NODE, NOMINATED NODE and READINESS GATES.
 */
import type { Container, ContainerStatus, Pod, PodCondition } from '@kubeling/api';
import { parseTime } from '@kubeling/api';
import { humanDuration, since } from './duration';
import type { PrintedRow, TableRowCondition } from './table';
import { ageColumn, column, nameColumn, printer } from './table';

/** node.NodeUnreachablePodReason: the node controller's reason for pods on a lost node. */
export const NodeUnreachablePodReason = 'NodeLost';

export const podColumns = [
  nameColumn,
  column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
  column('Status', 'string', 'The aggregate status of the containers in this pod.'),
  column(
    'Restarts',
    'string',
    'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
  ),
  ageColumn,
  column(
    'IP',
    'string',
    'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.',
    { priority: 1 },
  ),
  column(
    'Node',
    'string',
    'NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for preemption by the scheduler.',
    { priority: 1 },
  ),
  column(
    'Nominated Node',
    'string',
    'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.',
    { priority: 1 },
  ),
  column(
    'Readiness Gates',
    'string',
    'If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to "True".',
    { priority: 1 },
  ),
];

const podSucceededConditions: TableRowCondition[] = [
  {
    type: 'Completed',
    status: 'True',
    reason: 'Succeeded',
    message: 'The pod has completed successfully.',
  },
];
const podFailedConditions: TableRowCondition[] = [
  { type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' },
];

/** A sidecar: an init container with restartPolicy Always, which keeps running. */
function isRestartableInitContainer(c: Container | undefined): boolean {
  return c?.restartPolicy === 'Always';
}

function hasCondition(conditions: PodCondition[] | undefined, type: string): boolean {
  return (conditions ?? []).some((c) => c.type === type && c.status === 'True');
}

/** The Initialized condition decides, and only the first one counts (upstream returns on it). */
function isInitialized(conditions: PodCondition[] | undefined): boolean {
  const c = (conditions ?? []).find((x) => x.type === 'Initialized');
  return c?.status === 'True';
}

function isTerminalPhase(phase: string | undefined): boolean {
  return phase === 'Succeeded' || phase === 'Failed';
}

/** The later of `current` and the last termination of `s`, in ms (NaN: none). */
function lastTermination(current: number, s: ContainerStatus): number {
  const t = parseTime(s.lastState?.terminated?.finishedAt);
  if (Number.isNaN(t)) return current;
  return Number.isNaN(current) || t > current ? t : current;
}

/** The STATUS, READY and RESTARTS cells: printPod's reason logic. */
export function podStatus(
  pod: Pod,
  now: number,
): { ready: string; reason: string; restarts: string } {
  // Stored pods are defaulted; partial ones (older writers, tests) must still print.
  const spec: Partial<Pod['spec']> = pod.spec ?? {};
  const status: Partial<Pod['status']> = pod.status ?? {};
  const phase = status.phase;
  let reason = status.reason || phase || '';
  // A pod held back by scheduling gates says so rather than Pending.
  for (const c of status.conditions ?? [])
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';

  const initContainers = new Map<string, Container>();
  let totalContainers = (spec.containers ?? []).length;
  for (const c of spec.initContainers ?? []) {
    initContainers.set(c.name, c);
    if (isRestartableInitContainer(c)) totalContainers++;
  }

  let restarts = 0;
  let restartableInitRestarts = 0;
  let readyContainers = 0;
  let lastRestart = NaN;
  let lastRestartableInitRestart = NaN;

  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const s = initStatuses[i]!;
    const restartable = isRestartableInitContainer(initContainers.get(s.name));
    restarts += s.restartCount ?? 0;
    lastRestart = lastTermination(lastRestart, s);
    if (restartable) {
      restartableInitRestarts += s.restartCount ?? 0;
      lastRestartableInitRestart = lastTermination(lastRestartableInitRestart, s);
    }
    const terminated = s.state?.terminated;
    const waiting = s.state?.waiting;
    if (terminated && terminated.exitCode === 0) continue;
    if (restartable && s.started === true) {
      if (s.ready) readyContainers++;
      continue;
    }
    if (terminated) {
      // Initialization failed.
      if (!terminated.reason)
        reason = terminated.signal
          ? `Init:Signal:${terminated.signal}`
          : `Init:ExitCode:${terminated.exitCode}`;
      else reason = `Init:${terminated.reason}`;
    } else if (waiting?.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${(spec.initContainers ?? []).length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || isInitialized(status.conditions)) {
    restarts = restartableInitRestarts;
    lastRestart = lastRestartableInitRestart;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    // Backwards, so the first container's reason is the one left standing.
    for (let i = statuses.length - 1; i >= 0; i--) {
      const s = statuses[i]!;
      restarts += s.restartCount ?? 0;
      lastRestart = lastTermination(lastRestart, s);
      const waiting = s.state?.waiting;
      const terminated = s.state?.terminated;
      if (waiting?.reason) reason = waiting.reason;
      else if (terminated?.reason) reason = terminated.reason;
      else if (terminated)
        reason = terminated.signal
          ? `Signal:${terminated.signal}`
          : `ExitCode:${terminated.exitCode}`;
      else if (s.ready && s.state?.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    // A container that completed while another still runs does not make the pod Completed.
    if (reason === 'Completed' && hasRunning)
      reason = hasCondition(status.conditions, 'Ready') ? 'Running' : 'NotReady';
  }

  if (pod.metadata.deletionTimestamp && status.reason === NodeUnreachablePodReason)
    reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && !isTerminalPhase(phase)) reason = 'Terminating';

  let restartsCell = String(restarts);
  if (restarts !== 0 && !Number.isNaN(lastRestart))
    restartsCell = `${restarts} (${humanDuration(now - lastRestart)} ago)`;

  return { ready: `${readyContainers}/${totalContainers}`, reason, restarts: restartsCell };
}

/** READINESS GATES: how many of the pod's readiness-gate conditions are True, or <none>. */
function readinessGates(pod: Pod): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return '<none>';
  let trueConditions = 0;
  for (const g of gates) {
    const c = (pod.status?.conditions ?? []).find((x) => x.type === g.conditionType);
    if (c?.status === 'True') trueConditions++;
  }
  return `${trueConditions}/${gates.length}`;
}

export const podPrinter = printer<Pod>(podColumns, (pod, now): PrintedRow => {
  const { ready, reason, restarts } = podStatus(pod, now);
  const status: Partial<Pod['status']> = pod.status ?? {};
  const row: PrintedRow = {
    cells: [
      pod.metadata.name ?? '',
      ready,
      reason,
      restarts,
      since(pod.metadata.creationTimestamp, now),
      status.podIPs?.[0]?.ip || status.podIP || '<none>',
      pod.spec?.nodeName || '<none>',
      status.nominatedNodeName || '<none>',
      readinessGates(pod),
    ],
  };
  if (status.phase === 'Succeeded') row.conditions = podSucceededConditions;
  else if (status.phase === 'Failed') row.conditions = podFailedConditions;
  return row;
});
