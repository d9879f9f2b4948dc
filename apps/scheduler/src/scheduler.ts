/**
 * The scheduler (upstream's pkg/scheduler: scheduler.go, schedule_one.go, eventhandlers.go).
 *
 * Informers feed two structures: assigned pods and nodes go to the cache; unassigned pods whose
 * schedulerName is one of the profiles', not being deleted, go to the scheduling queue. Node
 * events and deletions of assigned pods move unschedulable pods back to be tried again.
 *
 * One loop pops a pod and runs the *scheduling cycle* synchronously — PreFilter, Filter over
 * the nodes (from a rotating start, stopping after percentageOfNodesToScore of them fit),
 * PreScore, Score, NormalizeScore, the highest total (ties at random), Reserve, and assume —
 * then starts the *binding cycle* without waiting for it (Bind through pods/binding; on
 * failure forget the assumed pod and requeue it). A pod no node fits gets PostFilter
 * (preemption), a PodScheduled=False condition and a FailedScheduling event whose message has
 * upstream's form, and waits in the unschedulable pool.
 */
import type { Clock, Namespace, Node, Pod, PodCondition } from '@kubeling/api';
import { namespaceKind, nodeKind, podKind, realClock, rfc3339 } from '@kubeling/api';
import type {
  Client,
  EventRecorder,
  SharedInformerFactory,
  DeletedFinalStateUnknown,
} from '@kubeling/client';
import { dropManagedFields, lastKnownState } from '@kubeling/client';
import type { Logger } from '@kubeling/runtime';
import { SchedulerCache } from './cache/cache';
import type { SchedulerConfig } from './config/config';
import type { DecisionLog } from './decisions';
import { fitErrorMessage } from './framework/fitError';
import { Framework } from './framework/framework';
import type { Handle, Registry, Snapshot } from './framework/interface';
import { CycleState } from './framework/interface';
import type { NodeInfo } from './framework/nodeInfo';
import { podKeyOf } from './framework/nodeInfo';
import type { Status } from './framework/status';
import type { SchedulerMetrics } from './metrics';
import { inTreeRegistry } from './plugins/registry';
import type { QueuedPodInfo } from './queue/schedulingQueue';
import { SchedulingQueue } from './queue/schedulingQueue';

export const minFeasibleNodesToFind = 100;
export const minFeasibleNodesPercentageToFind = 5;
export const ErrNoNodesAvailable = 'no nodes available to schedule pods';

/**
 * How many feasible nodes to look for (upstream's numFeasibleNodesToFind): all under 100 nodes;
 * otherwise `percentage` of them (adaptive when 0: 50 - N/125, at least 5), at least 100.
 */
export function numFeasibleNodesToFind(percentage: number, numAllNodes: number): number {
  if (numAllNodes < minFeasibleNodesToFind || percentage >= 100) return numAllNodes;
  let p = percentage;
  if (p === 0) {
    p = 50 - Math.floor(numAllNodes / 125);
    if (p < minFeasibleNodesPercentageToFind) p = minFeasibleNodesPercentageToFind;
  }
  const n = Math.floor((numAllNodes * p) / 100);
  return n < minFeasibleNodesToFind ? minFeasibleNodesToFind : n;
}

export interface SchedulerOptions {
  client: Client | undefined;
  factory?: SharedInformerFactory;
  config: SchedulerConfig;
  registry?: Registry;
  recorder?: EventRecorder;
  clock?: Clock;
  log?: Logger;
  metrics?: SchedulerMetrics;
  decisions?: DecisionLog;
  /** Tie-breaking; default Math.random. */
  random?: () => number;
  /** Fraction of attempts whose plugin durations are observed (upstream samples 10%). */
  pluginMetricsSamplePercent?: number;
}

interface ScheduleResult {
  host?: string;
  feasible: NodeInfo[];
  filtered: Map<string, Status>;
  numAllNodes: number;
  preFilterMsg?: string;
  error?: string;
  scores?: Map<string, Map<string, number>>;
  totals?: Map<string, number>;
}

const isTerminal = (p: Pod) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
const isAssigned = (p: Pod) => !!p.spec.nodeName;

export class Scheduler {
  readonly cache = new SchedulerCache();
  readonly queue: SchedulingQueue;
  readonly frameworks = new Map<string, Framework>();
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly namespaces = new Map<string, Namespace>();
  private snapshotOverride: Snapshot | undefined;
  private nextStartNodeIndex = 0;
  private readonly bindings = new Set<Promise<void>>();
  private readonly samplePercent: number;

  constructor(private readonly opts: SchedulerOptions) {
    this.clock = opts.clock ?? realClock;
    this.random = opts.random ?? Math.random;
    this.samplePercent = opts.pluginMetricsSamplePercent ?? 10;
    this.queue = new SchedulingQueue({
      clock: this.clock,
      initialBackoffMs: opts.config.podInitialBackoffMs,
      maxBackoffMs: opts.config.podMaxBackoffMs,
    });
    for (const profile of opts.config.profiles) {
      // The handle is built before the framework that holds it.
      const ref: { fw?: Framework } = {};
      const handle: Handle = {
        snapshot: () => this.snapshotOverride ?? this.cache,
        namespace: (n) => this.namespaces.get(n),
        clock: this.clock,
        client: opts.client,
        framework: () => ref.fw!,
        withSnapshot: (s, fn) => {
          const prev = this.snapshotOverride;
          this.snapshotOverride = s;
          try {
            return fn();
          } finally {
            this.snapshotOverride = prev;
          }
        },
        recordEvent: (obj, type, reason, message) =>
          opts.recorder?.event(obj, type, reason, message),
      };
      ref.fw = new Framework(profile, opts.registry ?? inTreeRegistry, handle);
      this.frameworks.set(profile.schedulerName, ref.fw);
    }
  }

  private responsibleFor(p: Pod): boolean {
    return this.frameworks.has(p.spec.schedulerName || 'default-scheduler');
  }

  // ---- event handlers (eventhandlers.go) ---------------------------------------------------

  onNodeAdd(node: Node): void {
    this.cache.addNode(node);
    this.queue.moveAllToActiveOrBackoffQueue('NodeAdd');
  }

  onNodeUpdate(old: Node, node: Node): void {
    this.cache.updateNode(node);
    // Heartbeats change only conditions' times: no reason to retry pods.
    const changed =
      JSON.stringify(old.spec) !== JSON.stringify(node.spec) ||
      JSON.stringify(old.metadata.labels) !== JSON.stringify(node.metadata.labels) ||
      JSON.stringify(old.status.allocatable) !== JSON.stringify(node.status.allocatable) ||
      JSON.stringify(old.status.images) !== JSON.stringify(node.status.images);
    if (changed) this.queue.moveAllToActiveOrBackoffQueue('NodeUpdate');
  }

  onNodeDelete(node: Node | DeletedFinalStateUnknown<Node>): void {
    this.cache.removeNode(lastKnownState(node));
  }

  onPodAdd(pod: Pod): void {
    if (isAssigned(pod)) {
      if (!isTerminal(pod)) this.cache.addPod(pod);
    } else if (this.responsibleFor(pod) && !pod.metadata.deletionTimestamp && !isTerminal(pod)) {
      this.queue.add(pod);
    }
  }

  onPodUpdate(old: Pod, pod: Pod): void {
    if (isAssigned(pod)) {
      if (!isAssigned(old)) this.queue.delete(pod);
      if (isTerminal(pod)) {
        this.cache.removePod(pod);
        this.queue.moveAllToActiveOrBackoffQueue('AssignedPodDelete');
      } else this.cache.updatePod(pod);
      return;
    }
    if (!this.responsibleFor(pod)) return;
    if (pod.metadata.deletionTimestamp || isTerminal(pod)) this.queue.delete(pod);
    else this.queue.update(pod);
  }

  onPodDelete(obj: Pod | DeletedFinalStateUnknown<Pod>): void {
    const pod = lastKnownState(obj);
    if (isAssigned(pod)) {
      this.cache.removePod(pod);
      this.queue.moveAllToActiveOrBackoffQueue('AssignedPodDelete');
    } else this.queue.delete(pod);
  }

  /** Registers the handlers on the factory's informers. */
  watch(factory: SharedInformerFactory): void {
    const nodes = factory.informerFor<Node>(nodeKind, { transform: dropManagedFields });
    const pods = factory.informerFor<Pod>(podKind, { transform: dropManagedFields });
    const namespaces = factory.informerFor<Namespace>(namespaceKind, {
      transform: dropManagedFields,
    });
    nodes.addEventHandler({
      onAdd: (n) => this.onNodeAdd(n),
      onUpdate: (o, n) => this.onNodeUpdate(o, n),
      onDelete: (n) => this.onNodeDelete(n),
    });
    pods.addEventHandler({
      onAdd: (p) => this.onPodAdd(p),
      onUpdate: (o, p) => this.onPodUpdate(o, p),
      onDelete: (p) => this.onPodDelete(p),
    });
    namespaces.addEventHandler({
      onAdd: (n) => void this.namespaces.set(n.metadata.name ?? '', n),
      onUpdate: (_o, n) => void this.namespaces.set(n.metadata.name ?? '', n),
      onDelete: (n) => void this.namespaces.delete(lastKnownState(n).metadata.name ?? ''),
    });
  }

  // ---- the loop ------------------------------------------------------------------------------

  async run(signal: AbortSignal): Promise<void> {
    this.queue.run();
    const updatePending = () => {
      const p = this.queue.pending();
      this.opts.metrics?.pendingPods.set({ queue: 'active' }, p.active);
      this.opts.metrics?.pendingPods.set({ queue: 'backoff' }, p.backoff);
      this.opts.metrics?.pendingPods.set({ queue: 'unschedulable' }, p.unschedulable);
      this.opts.metrics?.pendingPods.set({ queue: 'gated' }, 0);
    };
    const stop = () => this.queue.close();
    signal.addEventListener('abort', stop, { once: true });
    try {
      for (;;) {
        updatePending();
        const info = await this.queue.pop(signal);
        if (!info) break;
        await this.scheduleOne(info);
      }
    } finally {
      signal.removeEventListener('abort', stop);
      await Promise.allSettled([...this.bindings]);
    }
  }

  /** Pending binding cycles (tests and a clean stop wait for them). */
  async waitForBindings(): Promise<void> {
    while (this.bindings.size > 0) await Promise.allSettled([...this.bindings]);
  }

  /** One pod through the scheduling cycle; the binding cycle continues in the background. */
  async scheduleOne(info: QueuedPodInfo): Promise<void> {
    const pod = info.pod;
    const fw = this.frameworks.get(pod.spec.schedulerName || 'default-scheduler');
    if (!fw || pod.metadata.deletionTimestamp || this.cache.isAssumed(pod)) {
      this.queue.done(info.key);
      return;
    }
    const profile = fw.profile.schedulerName;
    const start = performance.now();
    const cycle = this.queue.cycle;
    const state = new CycleState();
    const m = this.opts.metrics;
    fw.timer =
      m && this.random() * 100 < this.samplePercent
        ? (plugin, point, status, s) =>
            m.pluginDuration.observe({ plugin, extension_point: point, status }, s)
        : undefined;
    const r = this.schedulePod(fw, state, pod);
    fw.timer = undefined;

    if (!r.host) {
      let message = r.error;
      let nominated: string | undefined;
      let errorResult = r.error !== undefined;
      if (!errorResult) {
        let postFilterMsg: string | undefined;
        try {
          const pf = await fw.runPostFilter(state, pod, r.filtered);
          if (pf?.status.code === 'Success') nominated = pf.nominatedNodeName;
          else if (pf) postFilterMsg = pf.status.reasons.join(', ');
        } catch (e) {
          postFilterMsg = undefined;
          errorResult = true;
          message = `running PostFilter plugin: ${(e as Error).message}`;
        }
        if (!errorResult)
          message = fitErrorMessage(r.numAllNodes, r.filtered, r.preFilterMsg, postFilterMsg);
      }
      const result = errorResult ? 'error' : 'unschedulable';
      m?.scheduleAttempts.inc({ result, profile });
      m?.attemptDuration.observe({ result, profile }, (performance.now() - start) / 1000);
      this.recordDecision(info, fw, r, undefined, nominated, message);
      this.opts.log
        ?.V(2)
        .info('Unable to schedule pod; no fit; waiting', { pod: info.key, err: message });
      this.handleFailure(
        info,
        cycle,
        errorResult ? 'SchedulerError' : 'Unschedulable',
        message ?? '',
        nominated,
        errorResult,
      );
      return;
    }

    // Assume: the next cycle sees the node's resources taken before the bind completes.
    const assumed: Pod = { ...pod, spec: { ...pod.spec, nodeName: r.host } };
    this.cache.assumePod(assumed);
    const reserved = fw.runReserve(state, assumed, r.host);
    if (reserved.code !== 'Success') {
      this.cache.forgetPod(assumed);
      m?.scheduleAttempts.inc({ result: 'error', profile });
      this.handleFailure(
        info,
        cycle,
        'SchedulerError',
        reserved.reasons.join(', '),
        undefined,
        true,
      );
      return;
    }
    this.recordDecision(info, fw, r, r.host);
    const host = r.host;
    const binding = this.bindingCycle(fw, state, info, assumed, host, cycle, start).finally(() =>
      this.bindings.delete(binding),
    );
    this.bindings.add(binding);
  }

  private async bindingCycle(
    fw: Framework,
    state: CycleState,
    info: QueuedPodInfo,
    assumed: Pod,
    host: string,
    cycle: number,
    start: number,
  ): Promise<void> {
    const profile = fw.profile.schedulerName;
    const m = this.opts.metrics;
    const s = await fw.runBind(state, assumed, host);
    if (s.code === 'Success') {
      this.queue.done(info.key);
      m?.scheduleAttempts.inc({ result: 'scheduled', profile });
      m?.attemptDuration.observe(
        { result: 'scheduled', profile },
        (performance.now() - start) / 1000,
      );
      this.opts.recorder?.eventf(
        info.pod,
        'Normal',
        'Scheduled',
        'Successfully assigned %v/%v to %v',
        info.pod.metadata.namespace,
        info.pod.metadata.name,
        host,
      );
      return;
    }
    this.cache.forgetPod(assumed);
    fw.runUnreserve(state, assumed, host);
    m?.scheduleAttempts.inc({ result: 'error', profile });
    // Another pod may fit where this one was assumed.
    this.queue.moveAllToActiveOrBackoffQueue('AssignedPodDelete');
    const msg = `Binding rejected: ${s.reasons.join(', ')}`;
    this.opts.log?.error('Failed to bind pod', { pod: info.key, node: host, err: msg });
    this.handleFailure(info, cycle, 'SchedulerError', msg, undefined, true);
  }

  /** The scheduling algorithm (schedulePod): which node, or why none. Synchronous. */
  schedulePod(fw: Framework, state: CycleState, pod: Pod): ScheduleResult {
    const all = this.cache.nodes;
    const filtered = new Map<string, Status>();
    const empty = { feasible: [], filtered, numAllNodes: all.length };
    if (all.length === 0) return { ...empty, error: ErrNoNodesAvailable };
    const pre = fw.runPreFilter(state, pod, all);
    if (pre.code === 'Error') return { ...empty, error: pre.reasons.join(', ') };
    if (pre.code !== 'Success') {
      for (const n of all) filtered.set(n.name, pre);
      return { ...empty, preFilterMsg: pre.reasons.join(', ') };
    }
    let nodes = all;
    if (state.preFilterNodeNames) {
      const allowed = state.preFilterNodeNames;
      nodes = all.filter((n) => allowed.has(n.name));
      for (const n of all)
        if (!allowed.has(n.name))
          filtered.set(n.name, {
            code: 'UnschedulableAndUnresolvable',
            reasons: ["node(s) didn't satisfy plugin(s) [NodeAffinity]"],
            plugin: 'NodeAffinity',
          });
    }
    const toFind = numFeasibleNodesToFind(fw.profile.percentageOfNodesToScore ?? 0, nodes.length);
    const feasible: NodeInfo[] = [];
    const n = nodes.length;
    const startAt = n > 0 ? this.nextStartNodeIndex % n : 0;
    let processed = 0;
    for (; processed < n && feasible.length < toFind; processed++) {
      const node = nodes[(startAt + processed) % n]!;
      const s = fw.runFilter(state, pod, node);
      if (s.code === 'Success') feasible.push(node);
      else if (s.code === 'Error')
        return { feasible: [], filtered, numAllNodes: all.length, error: s.reasons.join(', ') };
      else filtered.set(node.name, s);
    }
    this.nextStartNodeIndex = n > 0 ? (startAt + processed) % n : 0;
    if (feasible.length === 0) return { feasible, filtered, numAllNodes: all.length };
    if (feasible.length === 1 || !fw.hasScorePlugins())
      return { host: feasible[0]!.name, feasible, filtered, numAllNodes: all.length };
    const ps = fw.runPreScore(state, pod, feasible);
    if (ps.code !== 'Success')
      return { feasible, filtered, numAllNodes: all.length, error: ps.reasons.join(', ') };
    const { totals, perPlugin } = fw.runScore(state, pod, feasible);
    // selectHost: the highest total; ties broken uniformly at random (reservoir sampling).
    let best = totals[0]!;
    let ties = 1;
    for (const t of totals.slice(1)) {
      if (t.score > best.score) {
        best = t;
        ties = 1;
      } else if (t.score === best.score) {
        ties++;
        if (this.random() * ties < 1) best = t;
      }
    }
    return {
      host: best.name,
      feasible,
      filtered,
      numAllNodes: all.length,
      scores: perPlugin,
      totals: new Map(totals.map((t) => [t.name, t.score])),
    };
  }

  private recordDecision(
    info: QueuedPodInfo,
    fw: Framework,
    r: ScheduleResult,
    selected?: string,
    nominated?: string,
    message?: string,
  ): void {
    this.opts.decisions?.record({
      pod: info.key,
      ...(info.pod.metadata.uid ? { uid: info.pod.metadata.uid } : {}),
      profile: fw.profile.schedulerName,
      time: rfc3339(this.clock.now()),
      attempt: info.attempts,
      numAllNodes: r.numAllNodes,
      filtered: r.filtered,
      feasible: r.feasible.map((n) => n.name),
      scores: r.scores ?? new Map(),
      totals: r.totals ?? new Map(),
      ...(selected ? { selected } : {}),
      ...(nominated ? { nominated } : {}),
      ...(message ? { message } : {}),
    });
  }

  /**
   * handleSchedulingFailure: back to the queue (unschedulable pool, or backoff after an error),
   * a FailedScheduling event, and the PodScheduled=False condition (with nominatedNodeName
   * when preemption chose a node).
   */
  private handleFailure(
    info: QueuedPodInfo,
    cycle: number,
    reason: 'Unschedulable' | 'SchedulerError',
    message: string,
    nominated: string | undefined,
    error: boolean,
  ): void {
    const pod = info.pod;
    this.queue.addUnschedulableIfNotPresent(info, cycle, error);
    this.opts.recorder?.event(pod, 'Warning', 'FailedScheduling', message);
    void this.updatePodStatus(pod, reason, message, nominated).catch((e: unknown) =>
      this.opts.log?.V(2).info('Failed to update pod status', { pod: info.key, err: e as Error }),
    );
  }

  private async updatePodStatus(
    pod: Pod,
    reason: string,
    message: string,
    nominated: string | undefined,
  ): Promise<void> {
    const client = this.opts.client;
    if (!client) return;
    const conditions = [...(pod.status?.conditions ?? [])];
    const i = conditions.findIndex((c) => c.type === 'PodScheduled');
    const old = i >= 0 ? conditions[i] : undefined;
    if (
      old?.status === 'False' &&
      old.reason === reason &&
      old.message === message &&
      (nominated === undefined || pod.status?.nominatedNodeName === nominated)
    )
      return;
    const cond: PodCondition = {
      type: 'PodScheduled',
      status: 'False',
      lastTransitionTime:
        (old?.status === 'False' && old.lastTransitionTime) || rfc3339(this.clock.now()),
      reason,
      message,
    };
    if (i >= 0) conditions[i] = cond;
    else conditions.push(cond);
    await client
      .resource(podKind)
      .namespace(pod.metadata.namespace ?? '')
      .patchStatus(pod.metadata.name ?? '', 'merge', {
        status: { conditions, ...(nominated ? { nominatedNodeName: nominated } : {}) },
      });
  }

  /** The set of pods assumed or bound per node (tests). */
  podsOn(node: string): string[] {
    return [...(this.cache.get(node)?.pods.keys() ?? [])];
  }

  static keyOf = podKeyOf;
}
