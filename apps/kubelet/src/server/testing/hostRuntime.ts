/**
 * A test-only StreamingRuntime whose "containers" are real host processes: exec runs the
 * command on the host (in the container's working directory), attach talks to a main process
 * the test starts, port-forward dials the pod IP (a loopback address) and logs are lines the
 * test or the main process writes. It exercises the kubelet server, the api-server relay and
 * kubectl with real processes and real sockets, without the kubelet's own runtime.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import { badRequest, notFound } from '@kubeling/api';
import type {
  ExecOptions,
  LogOptions,
  PodRef,
  ProcessStreams,
  StreamingRuntime,
  TerminalSize,
} from '../streamingRuntime';

interface LogLine {
  at: Date;
  text: string;
}

interface Container {
  name: string;
  lines: LogLine[];
  partial: string;
  exited: boolean;
  waiters: Set<() => void>;
  main?: ChildProcess;
  mainExit?: Promise<number>;
}

interface HostPod {
  ip: string;
  cwd: string;
  containers: Map<string, Container>;
}

export interface HostPodSpec {
  namespace: string;
  name: string;
  /** The pod IP port-forward dials; default 127.0.0.1. */
  ip?: string;
  /** Working directory of exec'd commands; default the process's. */
  cwd?: string;
  /** A container's optional main process (its stdout/stderr become the log; attach talks to it). */
  containers: { name: string; command?: string[] }[];
}

/** RFC 3339 with nanoseconds, as the kubelet prefixes lines with `timestamps=true`. */
function rfc3339Nano(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

export class HostRuntime implements StreamingRuntime {
  /** What the last exec asked for, and the terminal sizes it was sent (tty). */
  lastExec: { options: ExecOptions; sizes: TerminalSize[] } | undefined;
  private readonly pods = new Map<string, HostPod>();
  private readonly children = new Set<ChildProcess>();

  addPod(spec: HostPodSpec): void {
    const pod: HostPod = {
      ip: spec.ip ?? '127.0.0.1',
      cwd: spec.cwd ?? process.cwd(),
      containers: new Map(),
    };
    for (const c of spec.containers) {
      const container: Container = {
        name: c.name,
        lines: [],
        partial: '',
        exited: false,
        waiters: new Set(),
      };
      pod.containers.set(c.name, container);
      if (c.command) {
        const [cmd, ...args] = c.command;
        const child = spawn(cmd as string, args, { cwd: pod.cwd, stdio: 'pipe' });
        this.children.add(child);
        container.main = child;
        child.stdout?.on('data', (b: Buffer) => this.write(container, b.toString('utf8')));
        child.stderr?.on('data', (b: Buffer) => this.write(container, b.toString('utf8')));
        container.mainExit = new Promise((resolve) =>
          child.on('close', (code, signal) => {
            this.children.delete(child);
            this.exit(container);
            resolve(code ?? (signal ? 128 + (signalNumber[signal] ?? 9) : 0));
          }),
        );
      }
    }
    this.pods.set(`${spec.namespace}/${spec.name}`, pod);
  }

  /** Resolves with the exit code of a container's main process. */
  mainExit(namespace: string, pod: string, container: string): Promise<number> {
    const c = this.container({ namespace, name: pod }, container);
    if (!c.mainExit) throw new Error(`container ${container} has no main process`);
    return c.mainExit;
  }

  /** Appends text to a container's log (lines end at '\n'). */
  appendLog(namespace: string, pod: string, container: string, text: string): void {
    this.write(this.container({ namespace, name: pod }, container), text);
  }

  /** The container "exits": followers' streams end. */
  exitContainer(namespace: string, pod: string, container: string): void {
    this.exit(this.container({ namespace, name: pod }, container));
  }

  stop(): void {
    for (const c of this.children) c.kill('SIGKILL');
  }

  private write(c: Container, text: string): void {
    const all = c.partial + text;
    const parts = all.split('\n');
    c.partial = parts.pop() ?? '';
    for (const p of parts) c.lines.push({ at: new Date(), text: p + '\n' });
    this.wake(c);
  }

  private exit(c: Container): void {
    if (c.partial) {
      c.lines.push({ at: new Date(), text: c.partial });
      c.partial = '';
    }
    c.exited = true;
    this.wake(c);
  }

  private wake(c: Container): void {
    for (const w of [...c.waiters]) w();
  }

  private pod(ref: PodRef): HostPod {
    const pod = this.pods.get(`${ref.namespace}/${ref.name}`);
    if (!pod) throw notFound({ group: '', resource: 'pods' }, ref.name);
    return pod;
  }

  private container(ref: PodRef, name: string): Container {
    const c = this.pod(ref).containers.get(name);
    if (!c) throw badRequest(`container ${name} is not valid for pod ${ref.name}`);
    return c;
  }

  async *logs(pod: PodRef, options: LogOptions, signal: AbortSignal): AsyncIterable<Buffer> {
    const c = this.container(pod, options.container);
    if (options.previous)
      throw badRequest(
        `previous terminated container "${options.container}" in pod "${pod.name}" not found`,
      );
    const format = (l: LogLine) =>
      Buffer.from(options.timestamps ? `${rfc3339Nano(l.at)} ${l.text}` : l.text, 'utf8');
    let next = 0;
    const since = options.sinceTime
      ? Date.parse(options.sinceTime)
      : options.sinceSeconds !== undefined
        ? Date.now() - options.sinceSeconds * 1000
        : undefined;
    if (since !== undefined)
      while (next < c.lines.length && (c.lines[next] as LogLine).at.getTime() < since) next++;
    if (options.tailLines !== undefined) next = Math.max(next, c.lines.length - options.tailLines);
    let budget = options.limitBytes ?? Infinity;
    for (;;) {
      while (next < c.lines.length) {
        let b = format(c.lines[next++] as LogLine);
        if (b.length > budget) b = b.subarray(0, budget);
        budget -= b.length;
        if (b.length) yield b;
        if (budget <= 0) return;
      }
      if (!options.follow || c.exited || signal.aborted) return;
      await new Promise<void>((resolve) => {
        const done = () => {
          c.waiters.delete(done);
          signal.removeEventListener('abort', done);
          resolve();
        };
        c.waiters.add(done);
        signal.addEventListener('abort', done);
      });
    }
  }

  exec(pod: PodRef, options: ExecOptions, io: ProcessStreams): Promise<{ exitCode: number }> {
    const p = this.pod(pod);
    this.container(pod, options.container);
    const [cmd, ...args] = options.command;
    const record = { options, sizes: [] as TerminalSize[] };
    this.lastExec = record;
    if (io.resize)
      void (async () => {
        for await (const size of io.resize ?? []) record.sizes.push(size);
      })();
    return new Promise((resolve, reject) => {
      const child = spawn(cmd as string, args, { cwd: p.cwd, stdio: 'pipe' });
      this.children.add(child);
      child.on('error', (e) => {
        this.children.delete(child);
        reject(e);
      });
      if (io.stdin && child.stdin) io.stdin.pipe(child.stdin);
      else child.stdin?.end();
      child.stdin?.on('error', () => undefined);
      if (io.stdout) child.stdout?.pipe(io.stdout, { end: false });
      const errOut = options.tty ? io.stdout : io.stderr;
      if (errOut) child.stderr?.pipe(errOut, { end: false });
      const kill = () => child.kill('SIGKILL');
      io.signal.addEventListener('abort', kill);
      // 'close' comes after the output pipes drained: the exit code follows the last byte.
      child.on('close', (code, signal) => {
        this.children.delete(child);
        io.signal.removeEventListener('abort', kill);
        resolve({ exitCode: code ?? (signal ? 128 + (signalNumber[signal] ?? 9) : 0) });
      });
    });
  }

  attach(
    pod: PodRef,
    options: Omit<ExecOptions, 'command'>,
    io: ProcessStreams,
  ): Promise<{ exitCode: number }> {
    const c = this.container(pod, options.container);
    const main = c.main;
    if (!main || !c.mainExit)
      throw badRequest(`container ${options.container} has no process to attach to`);
    const onOut = (b: Buffer) => io.stdout?.write(b);
    const onErr = (b: Buffer) => (options.tty ? io.stdout : io.stderr)?.write(b);
    main.stdout?.on('data', onOut);
    main.stderr?.on('data', onErr);
    const onIn = (b: Buffer) => main.stdin?.write(b);
    io.stdin?.on('data', onIn);
    return new Promise((resolve) => {
      const done = (exitCode: number) => {
        main.stdout?.off('data', onOut);
        main.stderr?.off('data', onErr);
        io.stdin?.off('data', onIn);
        resolve({ exitCode });
      };
      io.signal.addEventListener('abort', () => done(0));
      void c.mainExit?.then(done);
    });
  }

  portForward(pod: PodRef, port: number, signal: AbortSignal): Promise<net.Socket> {
    const p = this.pod(pod);
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: p.ip, port });
      const abort = () => socket.destroy(new Error('aborted'));
      signal.addEventListener('abort', abort);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(socket);
      });
      socket.once('error', reject);
      socket.once('close', () => signal.removeEventListener('abort', abort));
    });
  }
}

const signalNumber: Partial<Record<NodeJS.Signals, number>> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGKILL: 9,
  SIGTERM: 15,
};
