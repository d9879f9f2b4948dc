/**
 * Shared by the nats-*.e2e specs: api-server replicas as real processes (spawned as
 * apps/kubeling spawns them), and a minimal resumable watcher written with @kubeling/bus — the
 * loop every component runs: watch, and on any end re-watch from the last resourceVersion
 * processed (relist only on 410).
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import type { NatsConnection } from 'nats';
import type { ApiSubjects, WatchClose, WatchEventMessage, WatchStream } from '@kubeling/bus';
import { openWatch } from '@kubeling/bus';
import { testServices, workspaceRoot } from '@kubeling/testing';

export interface ApiServerProcess {
  id: string;
  pid: number;
  url: string;
  child: ChildProcess;
  /** Everything it logged. */
  log(): string;
  /** SIGTERM and wait for exit (no-op once it exited). */
  stop(): Promise<void>;
  /** SIGKILL and wait for exit. */
  kill(): Promise<void>;
}

/** `node --import tsx apps/api-server/src/main.ts ...`, ready (readyz 200) when this resolves. */
export async function spawnApiServer(
  cluster: string,
  id: string,
  extraFlags: string[] = [],
): Promise<ApiServerProcess> {
  const root = workspaceRoot();
  const { redisUrl, natsUrl } = testServices();
  // prettier-ignore
  const args = [
    '--import', 'tsx', path.join(root, 'apps/api-server/src/main.ts'),
    '--cluster-name', cluster, '--id', id, '--port', '0',
    '--redis-url', redisUrl, '--nats-url', natsUrl, ...extraFlags,
  ];
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let running = true;
  void exited.then(() => (running = false));
  const waitExit = async (signal: NodeJS.Signals) => {
    if (!running) return;
    child.kill(signal);
    await exited;
  };
  const proc: ApiServerProcess = {
    id,
    pid: child.pid!,
    url: '',
    child,
    log: () => output,
    stop: () => waitExit('SIGTERM'),
    kill: () => waitExit('SIGKILL'),
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    const m = /"serving" url="([^"]+)"/.exec(output);
    if (m) {
      proc.url = m[1]!;
      const r = await fetch(`${proc.url}/readyz`).catch(() => undefined);
      if (r?.status === 200) return proc;
    }
    if (!running || Date.now() > deadline) {
      await proc.kill();
      throw new Error(`api-server ${id} did not become ready:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface FollowedEvent {
  type: string;
  name: string;
  rv: string;
}

interface Meta {
  metadata: { name: string; resourceVersion: string };
}

/**
 * Follows one kind through any number of watch streams, keeping a cache, the ordered events and
 * everything that looked wrong (an rv not strictly increasing, an ERROR event).
 */
export class Follower {
  readonly cache = new Map<string, Meta>();
  readonly events: FollowedEvent[] = [];
  readonly problems: string[] = [];
  /** Replica of each stream, in order. */
  readonly replicas: string[] = [];
  readonly closes: WatchClose[] = [];
  lastRV: string;
  private stream: WatchStream | undefined;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private firstStream!: Promise<void>;

  constructor(
    private readonly nc: NatsConnection,
    private readonly subjects: ApiSubjects,
    private readonly request: {
      group: string;
      version: string;
      resource: string;
      namespace?: string;
    },
    fromRV: string,
    private readonly keepaliveIntervalMs?: number,
  ) {
    this.lastRV = fromRV;
  }

  /** Resolves once the first stream runs; `replicas[0]` is then known. */
  start(): Promise<void> {
    let started!: () => void;
    this.firstStream = new Promise<void>((r) => (started = r));
    this.loop = this.run(started);
    return this.firstStream;
  }

  private onEvent = (ev: WatchEventMessage): void => {
    if (ev.type === 'ERROR') {
      this.problems.push(`ERROR event ${JSON.stringify(ev.object)}`);
      return;
    }
    const o = ev.object as Meta;
    const rv = o.metadata.resourceVersion;
    if (BigInt(rv) < BigInt(this.lastRV) || (ev.type !== 'BOOKMARK' && rv === this.lastRV))
      this.problems.push(`rv went from ${this.lastRV} to ${rv} (${ev.type} ${o.metadata.name})`);
    this.lastRV = rv;
    if (ev.type === 'BOOKMARK') return;
    this.events.push({ type: ev.type, name: o.metadata.name, rv });
    if (ev.type === 'DELETED') this.cache.delete(o.metadata.name);
    else this.cache.set(o.metadata.name, o);
  };

  private async run(started: () => void): Promise<void> {
    while (!this.stopped) {
      try {
        const opts: Parameters<typeof openWatch>[1] = {
          subjects: this.subjects,
          request: { ...this.request, query: { resourceVersion: this.lastRV } },
          onEvent: this.onEvent,
          requestTimeoutMs: 3000,
        };
        if (this.keepaliveIntervalMs) opts.keepaliveIntervalMs = this.keepaliveIntervalMs;
        this.stream = await openWatch(this.nc, opts);
      } catch {
        // No replica answered in time (one is dying): ask again.
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      if (this.stopped) this.stream.stop();
      this.replicas.push(this.stream.replica);
      started();
      const end = await this.stream.done;
      this.closes.push(end);
    }
  }

  /** Waits until the follower has passed `rv` (an event or bookmark at or after it). */
  async reach(rv: string, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (BigInt(this.lastRV) < BigInt(rv)) {
      if (Date.now() > deadline)
        throw new Error(`follower stuck at rv ${this.lastRV}, wanted ${rv}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stream?.stop();
    await this.loop;
  }
}
