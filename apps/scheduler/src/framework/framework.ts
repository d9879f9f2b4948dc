/**
 * One profile's plugins, run at their extension points (upstream's framework/runtime). The
 * profile names plugins per extension point; the registry builds each plugin once (a plugin
 * serving several points is one object). Filter stops at the first plugin that rejects, as
 * upstream; Score multiplies each plugin's normalized score by its weight.
 */
import type { Pod } from '@kubeling/api';
import type {
  AnyPlugin,
  CycleState,
  Handle,
  NodeScore,
  PostFilterResult,
  Registry,
} from './interface';
import type { NodeInfo } from './nodeInfo';
import type { Status } from './status';
import { asError, success } from './status';

export interface PluginSet {
  preFilter: string[];
  filter: string[];
  postFilter: string[];
  preScore: string[];
  score: Array<{ name: string; weight: number }>;
  reserve: string[];
  bind: string[];
}

export interface Profile {
  schedulerName: string;
  plugins: PluginSet;
  pluginArgs: Record<string, Record<string, unknown>>;
  /** 0: the adaptive default. */
  percentageOfNodesToScore?: number;
}

/** Observes plugin run time (scheduler_plugin_execution_duration_seconds), sampled per cycle. */
export type PluginTimer = (plugin: string, point: string, status: string, seconds: number) => void;

export interface ScoreResult {
  totals: NodeScore[];
  /** Plugin → node → weighted score (for decision explanations). */
  perPlugin: Map<string, Map<string, number>>;
}

export class Framework {
  readonly profile: Profile;
  private readonly plugins = new Map<string, AnyPlugin>();
  private readonly preFilters: AnyPlugin[];
  private readonly filters: AnyPlugin[];
  private readonly postFilters: AnyPlugin[];
  private readonly preScores: AnyPlugin[];
  private readonly scores: Array<{ plugin: AnyPlugin; weight: number }>;
  private readonly reserves: AnyPlugin[];
  private readonly binds: AnyPlugin[];
  /** Set per cycle when this cycle's plugin durations are sampled. */
  timer: PluginTimer | undefined;

  constructor(
    profile: Profile,
    registry: Registry,
    readonly handle: Handle,
  ) {
    this.profile = profile;
    const get = (name: string, point: string, need: keyof AnyPlugin): AnyPlugin => {
      let p = this.plugins.get(name);
      if (!p) {
        const f = registry[name];
        if (!f) throw new Error(`${point} plugin "${name}" does not exist`);
        p = f(profile.pluginArgs[name] ?? {}, handle);
        this.plugins.set(name, p);
      }
      if (typeof p[need] !== 'function')
        throw new Error(`plugin "${name}" does not extend ${point} plugin`);
      return p;
    };
    const ps = profile.plugins;
    this.preFilters = ps.preFilter.map((n) => get(n, 'PreFilter', 'preFilter'));
    this.filters = ps.filter.map((n) => get(n, 'Filter', 'filter'));
    this.postFilters = ps.postFilter.map((n) => get(n, 'PostFilter', 'postFilter'));
    this.preScores = ps.preScore.map((n) => get(n, 'PreScore', 'preScore'));
    this.scores = ps.score.map((s) => ({
      plugin: get(s.name, 'Score', 'score'),
      weight: s.weight,
    }));
    this.reserves = ps.reserve.map((n) => get(n, 'Reserve', 'reserve'));
    this.binds = ps.bind.map((n) => get(n, 'Bind', 'bind'));
    if (this.binds.length === 0) throw new Error('at least one bind plugin is needed');
  }

  plugin(name: string): AnyPlugin | undefined {
    return this.plugins.get(name);
  }

  private time<T>(
    plugin: string,
    point: string,
    fn: () => T,
    statusOf: (r: T) => string = () => 'Success',
  ): T {
    if (!this.timer) return fn();
    const start = performance.now();
    const r = fn();
    this.timer(plugin, point, statusOf(r), (performance.now() - start) / 1000);
    return r;
  }

  /** PreFilter: a rejection ends the attempt for every node; nodeNames narrow the attempt. */
  runPreFilter(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status {
    for (const p of this.preFilters) {
      let r;
      try {
        r = this.time(p.name, 'PreFilter', () => p.preFilter!(state, pod, nodes));
      } catch (e) {
        return { ...asError(`running PreFilter plugin "${p.name}": ${String(e)}`), plugin: p.name };
      }
      if (!r) continue;
      if ('code' in r) {
        if (r.code === 'Skip') {
          state.skipFilter.add(p.name);
          continue;
        }
        if (r.code !== 'Success') return { ...r, plugin: p.name };
        continue;
      }
      if (r.nodeNames) {
        const prev = state.preFilterNodeNames;
        state.preFilterNodeNames = prev
          ? new Set([...r.nodeNames].filter((n) => prev.has(n)))
          : r.nodeNames;
      }
    }
    return success;
  }

  /** Filter: the first plugin that rejects decides. */
  runFilter(state: CycleState, pod: Pod, node: NodeInfo): Status {
    for (const p of this.filters) {
      if (state.skipFilter.has(p.name)) continue;
      let s: Status;
      try {
        s = this.time(
          p.name,
          'Filter',
          () => p.filter!(state, pod, node),
          (r) => r.code,
        );
      } catch (e) {
        return { ...asError(`running "${p.name}" filter plugin: ${String(e)}`), plugin: p.name };
      }
      if (s.code !== 'Success') return { ...s, plugin: p.name };
    }
    return success;
  }

  async runPostFilter(
    state: CycleState,
    pod: Pod,
    filtered: ReadonlyMap<string, Status>,
  ): Promise<PostFilterResult | undefined> {
    let last: PostFilterResult | undefined;
    for (const p of this.postFilters) {
      const r = await p.postFilter!(state, pod, filtered);
      if (r.status.code === 'Success') return r;
      last = r;
    }
    return last;
  }

  runPreScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status {
    for (const p of this.preScores) {
      const r = this.time(p.name, 'PreScore', () => p.preScore!(state, pod, nodes));
      if (!r) continue;
      if (r.code === 'Skip') state.skipScore.add(p.name);
      else if (r.code !== 'Success') return { ...r, plugin: p.name };
    }
    return success;
  }

  hasScorePlugins(): boolean {
    return this.scores.length > 0;
  }

  /** Score, NormalizeScore and weights; totals in the order of `nodes`. */
  runScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): ScoreResult {
    const totals: NodeScore[] = nodes.map((n) => ({ name: n.name, score: 0 }));
    const perPlugin = new Map<string, Map<string, number>>();
    for (const { plugin, weight } of this.scores) {
      if (state.skipScore.has(plugin.name)) continue;
      const scores: NodeScore[] = this.time(plugin.name, 'Score', () =>
        nodes.map((n) => ({ name: n.name, score: plugin.score!(state, pod, n) })),
      );
      if (plugin.normalizeScore)
        this.time(plugin.name, 'NormalizeScore', () => plugin.normalizeScore!(state, pod, scores));
      const byNode = new Map<string, number>();
      scores.forEach((sc, i) => {
        const v = sc.score * weight;
        totals[i]!.score += v;
        byNode.set(sc.name, v);
      });
      perPlugin.set(plugin.name, byNode);
    }
    return { totals, perPlugin };
  }

  runReserve(state: CycleState, pod: Pod, nodeName: string): Status {
    for (const p of this.reserves) {
      const s = p.reserve!(state, pod, nodeName);
      if (s.code !== 'Success') {
        this.runUnreserve(state, pod, nodeName);
        return { ...s, plugin: p.name };
      }
    }
    return success;
  }

  runUnreserve(state: CycleState, pod: Pod, nodeName: string): void {
    for (const p of [...this.reserves].reverse()) p.unreserve!(state, pod, nodeName);
  }

  /** Bind: the first bind plugin that does not Skip binds. */
  async runBind(state: CycleState, pod: Pod, nodeName: string): Promise<Status> {
    for (const p of this.binds) {
      const s = await p.bind!(state, pod, nodeName);
      if (s.code === 'Skip') continue;
      return s.code === 'Success' ? s : { ...s, plugin: p.name };
    }
    return asError('no bind plugin bound the pod');
  }
}
