/**
 * Decision explanations, for learners: for the most recent pods, the outcome of each attempt —
 * per node which filter rejected it and why, each score plugin's (weighted) score, the pick.
 * Recording costs a few references per attempt (the statuses and scores the scheduler computed
 * anyway); the readable form is built only when someone asks. A bounded ring: the oldest pod's
 * decision goes when a new pod comes past `capacity`.
 */
import type { Status } from './framework/status';

export interface Decision {
  pod: string;
  uid?: string;
  profile: string;
  time: string;
  attempt: number;
  numAllNodes: number;
  /** Node → the status of the plugin that rejected it. */
  filtered: ReadonlyMap<string, Status>;
  /** Nodes that passed the filters (up to percentageOfNodesToScore). */
  feasible: string[];
  /** Plugin → node → weighted score. */
  scores: ReadonlyMap<string, ReadonlyMap<string, number>>;
  totals: ReadonlyMap<string, number>;
  selected?: string;
  nominated?: string;
  message?: string;
}

export interface DecisionView {
  pod: string;
  uid?: string;
  profile: string;
  time: string;
  attempt: number;
  numAllNodes: number;
  selected?: string;
  nominatedNodeName?: string;
  message?: string;
  nodes: Array<{
    name: string;
    filter?: { plugin: string; code: string; reasons: string[] };
    scores?: Record<string, number>;
    total?: number;
  }>;
}

export class DecisionLog {
  private readonly byPod = new Map<string, Decision>();
  private listeners: Array<(d: Decision) => void> = [];

  constructor(readonly capacity = 1000) {}

  record(d: Decision): void {
    this.byPod.delete(d.pod); // Map keeps insertion order: re-inserting makes it the newest
    this.byPod.set(d.pod, d);
    if (this.byPod.size > this.capacity) this.byPod.delete(this.byPod.keys().next().value!);
    for (const l of this.listeners) l(d);
  }

  /** Called on every decision (a NATS publisher); keep it cheap. */
  onDecision(l: (d: Decision) => void): void {
    this.listeners.push(l);
  }

  get(pod: string): Decision | undefined {
    return this.byPod.get(pod);
  }

  size(): number {
    return this.byPod.size;
  }
}

export function viewOf(d: Decision): DecisionView {
  const names = new Set<string>([...d.filtered.keys(), ...d.feasible]);
  const nodes: DecisionView['nodes'] = [];
  for (const name of [...names].sort()) {
    const st = d.filtered.get(name);
    const scores: Record<string, number> = {};
    let any = false;
    for (const [plugin, m] of d.scores) {
      const v = m.get(name);
      if (v !== undefined) {
        scores[plugin] = v;
        any = true;
      }
    }
    nodes.push({
      name,
      ...(st ? { filter: { plugin: st.plugin ?? '', code: st.code, reasons: st.reasons } } : {}),
      ...(any ? { scores } : {}),
      ...(d.totals.has(name) ? { total: d.totals.get(name) } : {}),
    });
  }
  return {
    pod: d.pod,
    ...(d.uid ? { uid: d.uid } : {}),
    profile: d.profile,
    time: d.time,
    attempt: d.attempt,
    numAllNodes: d.numAllNodes,
    ...(d.selected ? { selected: d.selected } : {}),
    ...(d.nominated ? { nominatedNodeName: d.nominated } : {}),
    ...(d.message ? { message: d.message } : {}),
    nodes,
  };
}
