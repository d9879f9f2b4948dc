/**
 * The extension points of a scheduling profile (upstream's framework/interface.go), in the order
 * one attempt runs them: PreFilter (once per pod: compute what Filter needs, or reject early),
 * Filter (per node: fits or not, with reasons), PostFilter (when no node fits: preemption),
 * PreScore, Score (per feasible node, 0..100 after NormalizeScore, times the plugin's weight),
 * Reserve (before binding; Unreserve undoes), Bind.
 *
 * Filter and Score run synchronously against the scheduler cache's live NodeInfos: JavaScript
 * runs one thing at a time, so nothing changes under a cycle and no snapshot copy is needed.
 */
import type { Clock, Namespace, Pod } from '@kubeling/api';
import type { Client } from '@kubeling/client';
import type { NodeInfo } from './nodeInfo';
import type { Status } from './status';

export const MaxNodeScore = 100;
export const MinNodeScore = 0;

/** Per-attempt data plugins share between their extension points (framework.CycleState). */
export class CycleState {
  private readonly data = new Map<string, unknown>();
  read<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }
  write(key: string, v: unknown): void {
    this.data.set(key, v);
  }
  /** The nodes PreFilter restricted the attempt to (NodeName, for instance); undefined: all. */
  preFilterNodeNames: Set<string> | undefined;
  /** Plugins whose PreFilter returned Skip: their Filter is not called. */
  readonly skipFilter = new Set<string>();
  readonly skipScore = new Set<string>();
}

/** The nodes of one attempt (framework.SharedLister), in the cache's order. */
export interface Snapshot {
  readonly nodes: readonly NodeInfo[];
  get(name: string): NodeInfo | undefined;
  /** NodeInfos that have at least one pod with pod (anti-)affinity. */
  havePodsWithAffinity(): NodeInfo[];
}

/** What plugins may use besides the pod and the nodes (framework.Handle). */
/** What a plugin may run of its profile's framework (framework.ts implements it). */
export interface FilterRunner {
  runPreFilter(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status;
  runFilter(state: CycleState, pod: Pod, node: NodeInfo): Status;
}

export interface Handle {
  snapshot(): Snapshot;
  /** Namespace by name, for namespaceSelector (undefined: unknown). */
  namespace(name: string): Namespace | undefined;
  clock: Clock;
  /** The API client (binding, preemption); undefined in unit tests that do not need it. */
  client: Client | undefined;
  /** The profile's framework (PostFilter runs the filters again against changed nodes). */
  framework(): FilterRunner;
  /** Runs `fn` with snapshot() answering `s` (preemption's what-if without the victims). */
  withSnapshot<T>(s: Snapshot, fn: () => T): T;
  /** Records an event (preemption tells each victim why it goes). */
  recordEvent?(obj: Pod, type: 'Normal' | 'Warning', reason: string, message: string): void;
}

export interface PreFilterResult {
  /** Only these nodes may be considered (NodeName, NodeAffinity's matchFields). */
  nodeNames?: Set<string>;
}

export interface Plugin {
  readonly name: string;
}

export interface PreFilterPlugin extends Plugin {
  preFilter(
    state: CycleState,
    pod: Pod,
    nodes: readonly NodeInfo[],
  ): Status | PreFilterResult | void;
}
export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: Pod, node: NodeInfo): Status;
}
export interface PostFilterResult {
  status: Status;
  nominatedNodeName?: string;
}
export interface PostFilterPlugin extends Plugin {
  postFilter(
    state: CycleState,
    pod: Pod,
    filtered: ReadonlyMap<string, Status>,
  ): Promise<PostFilterResult>;
}
export interface PreScorePlugin extends Plugin {
  preScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status | void;
}
export interface ScorePlugin extends Plugin {
  score(state: CycleState, pod: Pod, node: NodeInfo): number;
  /** Maps the raw scores (in place) to 0..100. */
  normalizeScore?(state: CycleState, pod: Pod, scores: NodeScore[]): void;
}
export interface ReservePlugin extends Plugin {
  reserve(state: CycleState, pod: Pod, nodeName: string): Status;
  unreserve(state: CycleState, pod: Pod, nodeName: string): void;
}
export interface BindPlugin extends Plugin {
  bind(state: CycleState, pod: Pod, nodeName: string): Promise<Status>;
}

export interface NodeScore {
  name: string;
  score: number;
}

export type AnyPlugin = Partial<
  PreFilterPlugin &
    FilterPlugin &
    PostFilterPlugin &
    PreScorePlugin &
    ScorePlugin &
    ReservePlugin &
    BindPlugin
> &
  Plugin;

/** Builds a plugin from its args (from the config file) and the handle. */
export type PluginFactory = (args: Record<string, unknown>, handle: Handle) => AnyPlugin;

/** Plugin name → factory (upstream's runtime.Registry). */
export type Registry = Record<string, PluginFactory>;

/** Helpers to read a NormalizeScore over the usual max-scaling (helper.DefaultNormalizeScore). */
export function defaultNormalizeScore(
  maxPriority: number,
  reverse: boolean,
  scores: NodeScore[],
): void {
  let max = 0;
  for (const s of scores) if (s.score > max) max = s.score;
  if (max === 0) {
    if (reverse) for (const s of scores) s.score = maxPriority;
    return;
  }
  for (const s of scores) {
    let v = Math.floor((maxPriority * s.score) / max);
    if (reverse) v = maxPriority - v;
    s.score = v;
  }
}
