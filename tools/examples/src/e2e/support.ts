/**
 * For the specs that run libs/client and the example against real kubeling clusters: scripts
 * as real processes (`node --import tsx`), a cluster's recorded component processes, and a
 * client over NATS.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client, NatsTransport } from '@kubeling/client';
import type { TestCluster } from '@kubeling/testing';
import { processAlive, testServices, workspaceRoot } from '@kubeling/testing';

export interface ScriptProcess {
  child: ChildProcess;
  pid: number;
  output(): string;
  /** Resolves with the first match of `re` in the output (waiting for it), rejects after ms. */
  waitFor(re: RegExp, ms?: number): Promise<RegExpExecArray>;
  /** Sends the signal and waits for the exit (no-op once exited). */
  kill(signal: NodeJS.Signals): Promise<void>;
}

const running = new Set<ScriptProcess>();

/** Every script still running, killed: call from afterAll so a failed test leaves nothing behind. */
export async function killScripts(): Promise<void> {
  await Promise.all([...running].map((p) => p.kill('SIGKILL')));
}

export function spawnScript(script: string, args: string[]): ScriptProcess {
  const root = workspaceRoot();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, script), ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const waiters = new Set<() => void>();
  const onData = (d: string) => {
    out += d;
    for (const w of [...waiters]) w();
  };
  child.stdout!.setEncoding('utf8').on('data', onData);
  child.stderr!.setEncoding('utf8').on('data', onData);
  let alive = true;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      alive = false;
      running.delete(proc);
      for (const w of [...waiters]) w();
      resolve();
    }),
  );
  const proc: ScriptProcess = {
    child,
    pid: child.pid!,
    output: () => out,
    waitFor: (re, ms = 30_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const m = re.exec(out);
          if (m) return done(() => resolve(m));
          if (!alive)
            return done(() => reject(new Error(`${script} exited before ${re}:\n${out}`)));
        };
        const timer = setTimeout(
          () => done(() => reject(new Error(`no ${re} from ${script} within ${ms} ms:\n${out}`))),
          ms,
        );
        const done = (f: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          f();
        };
        waiters.add(check);
        check();
      }),
    kill: async (signal) => {
      if (!alive) return;
      child.kill(signal);
      await exited;
    },
  };
  running.add(proc);
  return proc;
}

interface RecordedComponent {
  id: string;
  pid: number;
  command: string[];
}

/** The component processes `kubeling up` recorded for the cluster. */
export function clusterComponents(cluster: TestCluster): RecordedComponent[] {
  const file = path.join(cluster.home, cluster.name, 'cluster.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { components: RecordedComponent[] })
    .components;
}

/** SIGKILLs a recorded component's process group and waits until it is gone. */
export async function killComponent(c: RecordedComponent): Promise<void> {
  process.kill(-c.pid, 'SIGKILL');
  while (processAlive(c.pid)) await new Promise((r) => setTimeout(r, 50));
}

export async function natsClient(cluster: TestCluster): Promise<Client> {
  const transport = await NatsTransport.connect({
    cluster: cluster.name,
    natsUrl: testServices().natsUrl,
  });
  return new Client({ transport });
}

/** Retries `check` until it passes or `ms` elapse (then rethrows its last failure). */
export async function eventually(check: () => void | Promise<void>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
