/**
 * What the kubelet's server (the streaming endpoints the api-server relays kubectl's logs, exec,
 * attach, cp and port-forward to) needs from the node's container runtime. The `process`
 * runtime implements it with real processes; the `sim` runtime answers what a simulated
 * container can (logs of its stage changes) and refuses the rest with a clear Status error.
 *
 * Errors are StatusErrors from @kubeling/api with upstream's wording, e.g. NotFound for an
 * unknown pod, BadRequest `container "x" in pod "y" is waiting to start: ContainerCreating`,
 * BadRequest `previous terminated container "c" in pod "p" not found`.
 */
import type { Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';

export interface PodRef {
  namespace: string;
  name: string;
  /** When given, a pod with another uid is NotFound (the name was reused). */
  uid?: string;
}

/** pods/log's query (PodLogOptions). */
export interface LogOptions {
  container: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  /** RFC 3339. */
  sinceTime?: string;
  limitBytes?: number;
}

/** pods/exec's query (PodExecOptions); attach is the same without a command. */
export interface ExecOptions {
  container: string;
  command: string[];
  tty: boolean;
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
}

export interface TerminalSize {
  width: number;
  height: number;
}

/** The caller's ends of a process's standard streams; absent when not asked for. */
export interface ProcessStreams {
  stdin?: Readable;
  stdout?: Writable;
  /** With tty, stderr is merged into stdout and this is absent. */
  stderr?: Writable;
  /** Terminal size changes (tty only); the first one arrives before or just after the start. */
  resize?: AsyncIterable<TerminalSize>;
  /** Aborts when the client went away: the runtime kills an exec'd process then. */
  signal: AbortSignal;
}

export interface StreamingRuntime {
  /**
   * The container's log as kubectl prints it (each line prefixed with its RFC 3339 nano time
   * when `timestamps`). Without `follow` it ends at the end of the log; with `follow` it ends
   * when the container exits or `signal` aborts. An error thrown before the first chunk is the
   * HTTP answer (a StatusError's code and message); after it, the stream just ends.
   */
  logs(pod: PodRef, options: LogOptions, signal: AbortSignal): AsyncIterable<Buffer>;
  /**
   * Runs a command in the container (its env, working dir, volumes, pod IP); resolves with its
   * exit code once its output has been written to `io.stdout` / `io.stderr` (a child process's
   * 'close' event, not 'exit'): the server sends the exit status right after, so output written
   * later is lost. Rejecting (a StatusError, or any error) ends the stream with a Failure status.
   */
  exec(pod: PodRef, options: ExecOptions, io: ProcessStreams): Promise<{ exitCode: number }>;
  /** Attaches to the container's main process (its stdin when the spec has `stdin: true`). */
  attach(
    pod: PodRef,
    options: Omit<ExecOptions, 'command'>,
    io: ProcessStreams,
  ): Promise<{ exitCode: number }>;
  /** A TCP connection to the pod's port (containers share the pod IP, so to any container). */
  portForward(pod: PodRef, port: number, signal: AbortSignal): Promise<Socket>;
}
