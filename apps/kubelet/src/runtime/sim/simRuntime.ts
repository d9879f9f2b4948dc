/**
 * The sim runtime: nothing runs. A container "pulls" and "starts" after its stage timings, then
 * runs until stopped or until its run time ends with its exit code (stages.ts): enough for the
 * kubelet core to drive every status a real node shows (ContainerCreating, Running, Completed,
 * Error, CrashLoopBackOff, ErrImagePull, ImagePullBackOff, not Ready) for thousands of pods on
 * hollow nodes at a few hundred bytes each. Its streaming answers logs with the container's
 * simulated life and refuses exec, attach and port-forward (there is no process).
 */
import crypto from 'node:crypto';
import type { Clock, ContainerImage, Pod } from '@kubeling/api';
import { badRequest, notFound, realClock, sleep } from '@kubeling/api';
import type { LogOptions, PodRef, StreamingRuntime } from '../../server/streamingRuntime';
import type {
  ActionResult,
  AdoptedPod,
  ContainerContext,
  ContainerExit,
  ContainerRuntime,
  RunningContainer,
} from '../runtime';
import { ContainerStartError } from '../runtime';
import type { SimStages } from './stages';
import { defaultStages, stagesFor } from './stages';

export interface SimRuntimeOptions {
  clock?: Clock;
  stages?: Partial<SimStages>;
  /** Finds a pod of this process's nodes (streaming). */
  lookupPod?(namespace: string, name: string): Pod | undefined;
}

export class SimRuntime implements ContainerRuntime {
  readonly name = 'sim';
  readonly version = 'kubeling-sim://0.1.0';
  private readonly clock: Clock;
  private readonly stages: SimStages;
  /** Images per node; the names are shared strings, so a node costs a Set. */
  private readonly pulled = new Map<string, Set<string>>();

  constructor(private readonly opts: SimRuntimeOptions = {}) {
    this.clock = opts.clock ?? realClock;
    this.stages = { ...defaultStages, ...opts.stages };
  }

  images(node: string): ContainerImage[] {
    const set = this.pulled.get(node);
    return set ? [...set].map((n) => ({ names: [n], sizeBytes: 0 })) : [];
  }

  async pullImage(ctx: ContainerContext): Promise<void> {
    const s = stagesFor(this.stages, ctx.pod.metadata.annotations, ctx.container.name);
    if (s.pullMs) await sleep(this.clock, s.pullMs);
    if (s.failPull)
      throw new ContainerStartError(
        'ErrImagePull',
        `rpc error: code = NotFound desc = failed to pull and unpack image "${ctx.container.image}": simulated pull failure`,
      );
    let set = this.pulled.get(ctx.nodeName);
    if (!set) this.pulled.set(ctx.nodeName, (set = new Set()));
    set.add(ctx.container.image);
  }

  async createSandbox(): Promise<void> {}

  async startContainer(ctx: ContainerContext): Promise<RunningContainer> {
    const s = stagesFor(this.stages, ctx.pod.metadata.annotations, ctx.container.name);
    if (s.startMs) await sleep(this.clock, s.startMs);
    const startedAt = this.clock.now();
    let resolve!: (e: ContainerExit) => void;
    const exited = new Promise<ContainerExit>((r) => (resolve = r));
    let done = false;
    let cancel: (() => void) | undefined;
    const end = (exitCode: number, reason?: string) => {
      if (done) return;
      done = true;
      cancel?.();
      resolve({
        exitCode,
        reason: reason ?? (exitCode === 0 ? 'Completed' : 'Error'),
        finishedAt: this.clock.now(),
      });
    };
    // An init container runs to completion (at once unless run-ms says otherwise); others run on.
    const runMs = s.runMs ?? (ctx.kind === 'init' ? 0 : undefined);
    if (runMs !== undefined)
      cancel = this.clock.setTimer(() => end(s.exitCode), runMs, { unref: true });
    return {
      id: `sim://${crypto.randomBytes(16).toString('hex')}`,
      startedAt,
      exited,
      stop: (graceMs) => {
        // A simulated process honours SIGTERM after stopMs; past the grace it is SIGKILLed.
        if (s.stopMs <= graceMs)
          this.clock.setTimer(() => end(143, 'Error'), s.stopMs, { unref: true });
        else this.clock.setTimer(() => end(137, 'Error'), graceMs, { unref: true });
        return exited;
      },
    };
  }

  async probe(ctx: ContainerContext): Promise<ActionResult> {
    const s = stagesFor(this.stages, ctx.pod.metadata.annotations, ctx.container.name);
    return s.notReady ? { ok: false, output: 'simulated probe failure' } : { ok: true, output: '' };
  }

  async runHook(): Promise<ActionResult> {
    return { ok: true, output: '' };
  }

  async removeSandbox(): Promise<void> {}

  async adopt(): Promise<AdoptedPod[]> {
    return [];
  }

  readonly streaming: StreamingRuntime = {
    logs: (pod, options, signal) => this.logs(pod, options, signal),
    exec: async () => {
      throw badRequest(
        'the sim runtime runs no processes: exec is not supported on a simulated node',
      );
    },
    attach: async () => {
      throw badRequest(
        'the sim runtime runs no processes: attach is not supported on a simulated node',
      );
    },
    portForward: async () => {
      throw badRequest(
        'the sim runtime runs no processes: port-forward is not supported on a simulated node',
      );
    },
  };

  private async *logs(
    ref: PodRef,
    options: LogOptions,
    signal: AbortSignal,
  ): AsyncIterable<Buffer> {
    void signal;
    const pod = this.opts.lookupPod?.(ref.namespace, ref.name);
    if (!pod || (ref.uid && pod.metadata.uid !== ref.uid))
      throw notFound({ group: '', resource: 'pods' }, ref.name);
    const all = [
      ...(pod.status?.initContainerStatuses ?? []),
      ...(pod.status?.containerStatuses ?? []),
    ];
    const s = all.find((c) => c.name === options.container);
    if (!s) throw badRequest(`container ${options.container} is not valid for pod ${ref.name}`);
    const st = options.previous ? s.lastState : s.state;
    if (options.previous && !st?.terminated)
      throw badRequest(
        `previous terminated container "${options.container}" in pod "${ref.name}" not found`,
      );
    const started = st?.running?.startedAt ?? st?.terminated?.startedAt;
    if (!started)
      throw badRequest(
        `container "${options.container}" in pod "${ref.name}" is waiting to start: ${st?.waiting?.reason ?? 'ContainerCreating'}`,
      );
    const lines = [`[sim] container ${options.container} started (image ${s.image ?? ''})`];
    if (st?.terminated) lines.push(`[sim] container exited with code ${st.terminated.exitCode}`);
    for (const l of lines) yield Buffer.from(options.timestamps ? `${started} ${l}\n` : `${l}\n`);
  }
}
