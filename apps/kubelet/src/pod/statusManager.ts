/**
 * The pod status manager (pkg/kubelet/status/status_manager.go): workers hand it the status
 * they computed; it writes each pod's newest status to the api-server, never the same status
 * twice, at most `concurrency` writes in flight. Changes that come while a write is in flight
 * collapse into one next write, so a pod flapping 100 times a second costs a few writes; the
 * client's QPS limit (--kube-api-qps) bounds the total rate. A failed write is retried with
 * back-off (200 ms doubling to 10 s).
 */
import type { Pod, PodStatus } from '@kubeling/api';
import { hasReason, podKind } from '@kubeling/api';
import type { Client } from '@kubeling/client';
import type { Logger } from '@kubeling/runtime';

interface Entry {
  namespace: string;
  name: string;
  status: PodStatus;
  json: string;
  written: string;
  busy: boolean;
  failures: number;
  waiters: (() => void)[];
}

export class StatusManager {
  private readonly entries = new Map<string, Entry>();
  private readonly ready: string[] = [];
  private inFlight = 0;

  constructor(
    private readonly client: Client,
    private readonly log: Logger,
    private readonly concurrency = 8,
  ) {}

  /** Resolves once this status (or a newer one) is written, or the pod is gone. */
  setStatus(pod: Pod, status: PodStatus): Promise<void> {
    const uid = pod.metadata.uid ?? '';
    let e = this.entries.get(uid);
    if (!e) {
      e = {
        namespace: pod.metadata.namespace ?? '',
        name: pod.metadata.name ?? '',
        status,
        json: '',
        written: '',
        busy: false,
        failures: 0,
        waiters: [],
      };
      this.entries.set(uid, e);
    }
    e.status = status;
    e.json = JSON.stringify(status);
    if (e.json === e.written && !e.busy) return Promise.resolve();
    const done = new Promise<void>((r) => e.waiters.push(r));
    if (!e.busy && !this.ready.includes(uid)) this.ready.push(uid);
    this.pump();
    return done;
  }

  /** The pod is gone: forget it (waiters resolve). */
  forget(uid: string): void {
    const e = this.entries.get(uid);
    if (!e) return;
    this.entries.delete(uid);
    for (const w of e.waiters.splice(0)) w();
  }

  private pump(): void {
    while (this.inFlight < this.concurrency && this.ready.length) {
      const uid = this.ready.shift()!;
      const e = this.entries.get(uid);
      if (!e || e.busy) continue;
      e.busy = true;
      this.inFlight++;
      void this.write(uid, e).finally(() => {
        e.busy = false;
        this.inFlight--;
        if (this.entries.get(uid) === e && e.json !== e.written && !this.ready.includes(uid)) {
          if (e.failures > 0)
            setTimeout(
              () => {
                this.ready.push(uid);
                this.pump();
              },
              Math.min(10_000, 200 * 2 ** (e.failures - 1)),
            ).unref();
          else this.ready.push(uid);
        }
        this.pump();
      });
    }
  }

  private async write(uid: string, e: Entry): Promise<void> {
    const json = e.json;
    const waiters = e.waiters.splice(0);
    try {
      await this.client
        .resource(podKind)
        .namespace(e.namespace)
        .patchStatus(e.name, 'merge', { status: e.status });
      e.written = json;
      e.failures = 0;
      for (const w of waiters) w();
    } catch (err) {
      if (hasReason(err, 'NotFound')) {
        this.forget(uid);
        for (const w of waiters) w();
        return;
      }
      e.failures++;
      e.waiters.unshift(...waiters);
      this.log
        .V(2)
        .info('failed to update pod status', { pod: `${e.namespace}/${e.name}`, err: String(err) });
    }
  }
}
