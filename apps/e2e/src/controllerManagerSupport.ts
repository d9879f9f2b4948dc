/**
 * What the controller-manager end-to-end tests share: one cluster per file started by the real
 * `kubeling up` with two controller-manager replicas, podReadinessDriver standing in for the
 * scheduler and kubelets (the lead replaces it with `kubeling up --nodes 3` once kubelets
 * land), and a pod watch that checks an invariant after every event.
 */
import { PodReadinessDriver } from '@kubeling/testing';
import type { ClusterSession } from './support';
import { useCluster } from './support';

export function useControllerManagerCluster(): ClusterSession {
  const session = useCluster({ nodes: 0, controllerManagers: 2 });
  let driver: PodReadinessDriver | undefined;
  beforeAll(async () => {
    driver = await PodReadinessDriver.start({ server: session.cluster.server, readyAfterMs: 300 });
  }, 30_000);
  afterAll(async () => {
    await driver?.stop();
  });
  return session;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Obj = any;

export async function getJson(c: ClusterSession, args: string[]): Promise<Obj> {
  return JSON.parse(await c.ok([...args, '-o', 'json'])) as Obj;
}

export async function eventually<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 60_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Pods of a selector as a watch sees them, with a check after every event. */
export class PodWatch {
  readonly pods = new Map<string, Obj>();
  private readonly ac = new AbortController();
  private done: Promise<void> = Promise.resolve();
  readonly violations: string[] = [];

  constructor(
    private readonly c: ClusterSession,
    private readonly selector: string,
    private readonly check: (pods: Obj[], now: number) => string | undefined,
  ) {}

  /**
   * Lists, then watches from the list's resourceVersion: the check sees the whole set from the
   * start (a watch without one would announce the existing pods one ADDED at a time).
   */
  async start(): Promise<this> {
    const base = `${this.c.cluster.server}/api/v1/namespaces/default/pods?labelSelector=${encodeURIComponent(this.selector)}`;
    const list = (await (await fetch(base)).json()) as {
      metadata: { resourceVersion: string };
      items: Obj[];
    };
    for (const p of list.items) this.pods.set(p.metadata.name as string, p);
    const r = await fetch(`${base}&watch=true&resourceVersion=${list.metadata.resourceVersion}`, {
      signal: this.ac.signal,
    });
    this.done = (async () => {
      const reader = r.body!.getReader();
      let buf = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buf += Buffer.from(value).toString();
        let i: number;
        while ((i = buf.indexOf('\n')) >= 0) {
          const ev = JSON.parse(buf.slice(0, i)) as { type: string; object: Obj };
          buf = buf.slice(i + 1);
          const name = ev.object?.metadata?.name as string;
          if (ev.type === 'DELETED') this.pods.delete(name);
          else if (ev.type === 'ADDED' || ev.type === 'MODIFIED') this.pods.set(name, ev.object);
          else continue;
          const v = this.check([...this.pods.values()], Date.now());
          if (v) this.violations.push(`${v} (after ${ev.type} ${name})`);
        }
      }
    })().catch((e: unknown) => {
      if (!this.ac.signal.aborted) throw e;
    });
    return this;
  }

  async stop(): Promise<void> {
    this.ac.abort();
    await this.done;
  }
}

export const active = (p: Obj) =>
  !p.metadata.deletionTimestamp && !['Succeeded', 'Failed'].includes(p.status?.phase);
export const imageOf = (p: Obj) => p.spec.containers[0].image as string;
/** isPodAvailable: Ready for longer than minReadySeconds. */
export const available = (p: Obj, minReadySeconds: number, now: number) => {
  const ready = (p.status?.conditions ?? []).find((x: Obj) => x.type === 'Ready');
  return (
    ready?.status === 'True' && Date.parse(ready.lastTransitionTime) + minReadySeconds * 1000 < now
  );
};
