/**
 * DefaultPreemption (PostFilter): when no node fits a pod, find the node where evicting the
 * fewest, least important lower-priority pods makes room (upstream's preemption.Evaluator):
 * 1. the pod must be allowed to preempt (preemptionPolicy is not Never);
 * 2. only nodes rejected as Unschedulable are candidates ("Preemption is not helpful" for
 *    UnschedulableAndUnresolvable ones, such as a node selector mismatch);
 * 3. on each candidate, remove every lower-priority pod; if the pod then fits, put back the
 *    most important ones first while it still fits — the rest are the victims;
 * 4. pick the node whose most important victim is least important, then the lowest sum of
 *    victim priorities, then the fewest victims; nominate it (status.nominatedNodeName) and
 *    delete the victims. The pod is tried again once they are gone.
 */
import type { Pod } from '@kubeling/api';
import type {
  CycleState,
  Handle,
  PluginFactory,
  PostFilterPlugin,
  PostFilterResult,
  Snapshot,
} from '../../framework/interface';
import { CycleState as State } from '../../framework/interface';
import type { NodeInfo, PodInfo } from '../../framework/nodeInfo';
import type { Status } from '../../framework/status';
import { unresolvable, unschedulable } from '../../framework/status';
import { fitErrorMessage } from '../../framework/fitError';

export const Name = 'DefaultPreemption';
export const NotHelpful = 'Preemption is not helpful for scheduling';
export const NoVictims = 'No preemption victims found for incoming pod';

const priority = (p: Pod) => p.spec.priority ?? 0;
const startMs = (p: Pod) =>
  Date.parse(p.status?.startTime ?? p.metadata.creationTimestamp ?? '') || 0;

/** MoreImportantPod: higher priority, then started earlier. */
export const moreImportant = (a: Pod, b: Pod) =>
  priority(a) !== priority(b) ? priority(a) > priority(b) : startMs(a) < startMs(b);

export interface Candidate {
  node: string;
  victims: Pod[];
}

function replaced(base: Snapshot, node: NodeInfo): Snapshot {
  const nodes = base.nodes.map((n) => (n.name === node.name ? node : n));
  return {
    nodes,
    get: (name) => (name === node.name ? node : base.get(name)),
    havePodsWithAffinity: () => nodes.filter((n) => n.podsWithAffinity.size > 0),
  };
}

export class DefaultPreemption implements PostFilterPlugin {
  readonly name = Name;
  constructor(private readonly handle: Handle) {}

  /** Does `pod` fit on `node` as changed (PreFilter again, since counts over nodes change)? */
  private fits(pod: Pod, node: NodeInfo, base: Snapshot): Status {
    const fw = this.handle.framework();
    return this.handle.withSnapshot(replaced(base, node), () => {
      const s = new State();
      const pre = fw.runPreFilter(s, pod, this.handle.snapshot().nodes);
      if (pre.code !== 'Success') return pre;
      return fw.runFilter(s, pod, node);
    });
  }

  /** SelectVictimsOnNode: the victims that make room on `info`, or why none do. */
  selectVictimsOnNode(pod: Pod, info: NodeInfo, base: Snapshot): Candidate | Status {
    const node = info.clone();
    const potential: PodInfo[] = [];
    for (const p of info.pods.values())
      if (priority(p.pod) < priority(pod)) {
        potential.push(p);
        node.removePod(p.key);
      }
    if (potential.length === 0) return unresolvable(NoVictims);
    const s = this.fits(pod, node, base);
    if (s.code !== 'Success') return s;
    potential.sort((a, b) =>
      moreImportant(a.pod, b.pod) ? -1 : moreImportant(b.pod, a.pod) ? 1 : 0,
    );
    const victims: Pod[] = [];
    for (const p of potential) {
      node.addPod(p);
      if (this.fits(pod, node, base).code !== 'Success') {
        node.removePod(p.key);
        victims.push(p.pod);
      }
    }
    return { node: info.name, victims };
  }

  /** pickOneNodeForPreemption, without PodDisruptionBudgets (kubeling has none yet). */
  static pick(candidates: Candidate[]): Candidate | undefined {
    const highest = (c: Candidate) => Math.max(...c.victims.map(priority), -Infinity);
    const sum = (c: Candidate) => c.victims.reduce((a, v) => a + priority(v) + 2 ** 31, 0);
    let best = candidates;
    for (const key of [highest, sum, (c: Candidate) => c.victims.length]) {
      const min = Math.min(...best.map(key));
      best = best.filter((c) => key(c) === min);
      if (best.length === 1) break;
    }
    return best[0];
  }

  async postFilter(
    _s: CycleState,
    pod: Pod,
    filtered: ReadonlyMap<string, Status>,
  ): Promise<PostFilterResult> {
    if (pod.spec.preemptionPolicy === 'Never')
      return { status: unschedulable('preemption: not eligible due to preemptionPolicy=Never.') };
    const base = this.handle.snapshot();
    const statuses = new Map<string, Status>();
    const candidates: Candidate[] = [];
    for (const info of base.nodes) {
      const st = filtered.get(info.name);
      if (st && st.code === 'UnschedulableAndUnresolvable') {
        statuses.set(info.name, unresolvable(NotHelpful));
        continue;
      }
      const r = this.selectVictimsOnNode(pod, info, base);
      if ('code' in r) statuses.set(info.name, r);
      else candidates.push(r);
    }
    const chosen = DefaultPreemption.pick(candidates);
    if (!chosen)
      return {
        status: unschedulable(`preemption: ${fitErrorMessage(base.nodes.length, statuses)}`),
      };
    // prepareCandidate: delete the victims, then the pod is nominated to the node.
    const client = this.handle.client;
    if (client)
      for (const v of chosen.victims) {
        this.handle.recordEvent?.(
          v,
          'Normal',
          'Preempted',
          `Preempted by pod ${pod.metadata.uid ?? ''} on node ${chosen.node}`,
        );
        try {
          await client
            .resource<Pod>('pods')
            .namespace(v.metadata.namespace ?? '')
            .delete(v.metadata.name ?? '');
        } catch (e) {
          if ((e as { code?: number }).code !== 404) throw e;
        }
      }
    return { status: { code: 'Success', reasons: [] }, nominatedNodeName: chosen.node };
  }
}

export const factory: PluginFactory = (_args, handle) => new DefaultPreemption(handle);
