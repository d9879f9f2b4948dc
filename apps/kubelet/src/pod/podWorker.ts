/**
 * One pod's worker (pkg/kubelet/pod_workers.go + kuberuntime's SyncPod, in small). Every change
 * (the pod updated, a container exited, a probe flipped, a back-off expired) marks the worker
 * dirty; one sync runs at a time and is level-triggered: it compares what runs with what the
 * spec wants and acts on the difference, then publishes the status.
 *
 * Order of a pod's life, as upstream:
 *   sandbox (pod IP, volumes) → init containers one by one (each must exit 0; a sidecar — an
 *   init container with restartPolicy Always — must only have started) → all containers →
 *   restarts per restartPolicy with crash-loop back-off → on deletion: preStop hooks, SIGTERM,
 *   SIGKILL at the end of the grace period, regular containers before sidecars → the final
 *   status → the pod object deleted with grace 0.
 */
import type { Clock, Container, ContainerStatus, Pod, PodPhase, PodStatus } from '@kubeling/api';
import { computePodQOS, rfc3339 } from '@kubeling/api';
import type { EventRecorder } from '@kubeling/client';
import type { Logger } from '@kubeling/runtime';
import type {
  ContainerContext,
  ContainerExit,
  ContainerKind,
  ContainerRuntime,
  RunningContainer,
} from '../runtime/runtime';
import { ContainerStartError } from '../runtime/runtime';
import { CrashBackoff, goDuration } from './backoff';
import { podConditions, podPhase } from './podStatus';
import { Prober } from './prober';

export interface PodWorkerDeps {
  runtime: ContainerRuntime;
  clock: Clock;
  log: Logger;
  recorder: EventRecorder;
  nodeName: string;
  nodeIP: string;
  allocateIP(): string;
  releaseIP(ip: string): void;
  /** Hands the status to the status manager; resolves once it (or a later one) was written. */
  setStatus(pod: Pod, status: PodStatus): Promise<void>;
  /** Deletes the pod object with grace 0 (uid precondition). */
  deletePod(pod: Pod): Promise<void>;
  /** The worker finished: the pod is gone and everything it ran stopped. */
  onFinished(uid: string): void;
}

interface Terminated {
  exitCode: number;
  signal?: number;
  reason: string;
  message?: string;
  startedAt: string;
  finishedAt: string;
  containerID: string;
}

class ContainerState {
  restartCount = 0;
  running: RunningContainer | undefined;
  starting = false;
  everRan = false;
  /** A waiting reason that outlives a sync (ErrImagePull, CreateContainerConfigError). */
  waiting: { reason: string; message?: string } | undefined;
  terminated: Terminated | undefined;
  previousTerminated: Terminated | undefined;
  backoff = new CrashBackoff();
  backoffUntil = 0;
  pullBackoff = new CrashBackoff();
  pullBackoffUntil = 0;
  pullFailedAt = 0;
  started = false;
  ready = false;
  probers: Prober[] = [];

  constructor(
    readonly spec: Container,
    readonly kind: ContainerKind,
  ) {}

  get name(): string {
    return this.spec.name;
  }

  stopProbers(): void {
    for (const p of this.probers) p.stop();
    this.probers = [];
  }
}

export class PodWorker {
  private pod: Pod;
  private readonly uid: string;
  private readonly init: ContainerState[];
  private readonly regular: ContainerState[];
  private podIP: string | undefined;
  private startTime: number | undefined;
  private gone = false;
  private terminating = false;
  private finished = false;
  private failure: { reason: string; message: string } | undefined;
  private dirty = false;
  private syncing: Promise<void> | undefined;
  private cancelTimer: (() => void) | undefined;
  private timerAt = Infinity;
  private holding = false;

  constructor(
    pod: Pod,
    private readonly deps: PodWorkerDeps,
  ) {
    this.pod = pod;
    this.uid = pod.metadata.uid ?? '';
    this.init = (pod.spec.initContainers ?? []).map(
      (c) => new ContainerState(c, c.restartPolicy === 'Always' ? 'sidecar' : 'init'),
    );
    this.regular = pod.spec.containers.map((c) => new ContainerState(c, 'regular'));
    // A restarted kubelet continues the counts the API already shows.
    const st = pod.status;
    for (const [list, states] of [
      [st?.initContainerStatuses, this.init],
      [st?.containerStatuses, this.regular],
    ] as const) {
      for (const s of list ?? []) {
        const c = states.find((x) => x.name === s.name);
        if (!c) continue;
        c.restartCount = s.restartCount ?? 0;
        const t = s.state?.terminated ?? s.lastState?.terminated;
        if (t) c.terminated = { ...toTerminated(t) };
        if (s.state?.terminated && c.kind === 'init' && s.state.terminated.exitCode === 0)
          c.everRan = true;
      }
    }
    const started = Date.parse(pod.status?.startTime ?? '');
    if (Number.isFinite(started)) this.startTime = started;
  }

  /** Containers a previous kubelet left running: take them over instead of starting anew. */
  adopt(
    podIP: string,
    containers: { name: string; restartCount: number; running: RunningContainer }[],
  ): void {
    this.podIP = podIP;
    this.startTime ??= this.deps.clock.now();
    // No sync until every adopted container is in place (a sync would start the others anew).
    this.holding = true;
    for (const a of containers) {
      const c = [...this.init, ...this.regular].find((x) => x.name === a.name);
      if (!c) {
        void a.running.stop(0);
        continue;
      }
      c.restartCount = Math.max(c.restartCount, a.restartCount);
      c.everRan = true;
      this.watchRunning(c, a.running, true);
    }
    this.holding = false;
  }

  get podIPAddress(): string | undefined {
    return this.podIP;
  }

  /** The pod's newest version from the informer. */
  update(pod: Pod): void {
    this.pod = pod;
    this.kick();
  }

  /** The pod object is gone (deleted with grace 0 by someone else): stop everything now. */
  removed(): void {
    this.gone = true;
    this.kick();
  }

  kick(): void {
    this.dirty = true;
    if (this.syncing || this.finished || this.holding) return;
    this.syncing = (async () => {
      try {
        while (this.dirty && !this.finished) {
          this.dirty = false;
          try {
            await this.syncOnce();
          } catch (e) {
            this.deps.log.error('Error syncing pod, skipping', {
              pod: this.podName(),
              err: String(e),
            });
            this.wakeAt(this.deps.clock.now() + 1000);
          }
        }
      } finally {
        this.syncing = undefined;
      }
    })();
  }

  /** Resolves when the worker is idle (tests). */
  async idle(): Promise<void> {
    while (this.syncing) await this.syncing;
  }

  private podName(): string {
    return `${this.pod.metadata.namespace ?? ''}/${this.pod.metadata.name ?? ''}`;
  }

  private wakeAt(ms: number): void {
    if (ms >= this.timerAt) return;
    this.cancelTimer?.();
    this.timerAt = ms;
    this.cancelTimer = this.deps.clock.setTimer(
      () => {
        this.timerAt = Infinity;
        this.cancelTimer = undefined;
        this.kick();
      },
      Math.max(0, ms - this.deps.clock.now()),
      { unref: true },
    );
  }

  private ctx(c: ContainerState): ContainerContext {
    return {
      pod: this.pod,
      container: c.spec,
      kind: c.kind,
      restartCount: c.restartCount,
      podIP: this.podIP ?? '',
      nodeName: this.deps.nodeName,
      nodeIP: this.deps.nodeIP,
    };
  }

  private event(
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    c?: ContainerState,
  ): void {
    const ref = {
      apiVersion: 'v1',
      kind: 'Pod',
      name: this.pod.metadata.name ?? '',
      namespace: this.pod.metadata.namespace ?? '',
      uid: this.uid,
      ...(this.pod.metadata.resourceVersion
        ? { resourceVersion: this.pod.metadata.resourceVersion }
        : {}),
      ...(c
        ? { fieldPath: `spec.${c.kind === 'regular' ? 'containers' : 'initContainers'}{${c.name}}` }
        : {}),
    };
    this.deps.recorder.event(ref, type, reason, message);
  }

  private async syncOnce(): Promise<void> {
    const now = this.deps.clock.now();
    if (this.gone || this.pod.metadata.deletionTimestamp || this.terminating) {
      await this.terminate();
      return;
    }
    const phase = this.currentPhase();
    if (phase === 'Succeeded' || phase === 'Failed') {
      // A finished pod keeps its object; what still runs (sidecars) is stopped.
      await this.stopAll(this.gracePeriodMs());
      void this.publish().catch(() => undefined);
      return;
    }
    const deadline = this.pod.spec.activeDeadlineSeconds;
    if (deadline !== undefined && this.startTime !== undefined) {
      const end = this.startTime + deadline * 1000;
      if (now >= end) {
        this.failure = {
          reason: 'DeadlineExceeded',
          message: 'Pod was active on the node longer than the specified deadline',
        };
        this.event('Normal', 'DeadlineExceeded', this.failure.message);
        await this.stopAll(this.gracePeriodMs());
        void this.publish().catch(() => undefined);
        return;
      }
      this.wakeAt(end);
    }
    if (!this.podIP) {
      const ip = this.deps.allocateIP();
      try {
        await this.deps.runtime.createSandbox(this.pod, ip, this.deps.nodeName);
        this.podIP = ip;
        this.startTime ??= now;
      } catch (e) {
        this.deps.releaseIP(ip);
        this.event(
          'Warning',
          'FailedCreatePodSandBox',
          `Failed to create pod sandbox: ${(e as Error).message}`,
        );
        this.wakeAt(now + 5000);
        void this.publish().catch(() => undefined);
        return;
      }
    }
    const policy = this.pod.spec.restartPolicy ?? 'Always';
    let initDone = true;
    for (const c of this.init) {
      if (c.kind === 'sidecar') {
        this.ensureRunning(c, 'Always', now);
        if (!c.started) {
          initDone = false;
          break;
        }
        continue;
      }
      if (c.terminated?.exitCode === 0 && !c.running) continue;
      initDone = false;
      if (c.running || c.starting) break;
      if (!c.everRan || !c.terminated) this.startContainer(c, now);
      else if (policy !== 'Never') this.ensureRunning(c, 'OnFailure', now);
      break;
    }
    if (initDone) for (const c of this.regular) this.ensureRunning(c, policy, now);
    void this.publish().catch(() => undefined);
  }

  /** Starts the container unless it runs, or restarts it when the policy and back-off allow. */
  private ensureRunning(c: ContainerState, policy: string, now: number): void {
    if (c.running || c.starting) return;
    if (c.pullBackoffUntil > now) {
      // ErrImagePull first, ImagePullBackOff from the next sync on (as a real kubelet shows).
      const shown = c.pullFailedAt + Math.min(5000, c.pullBackoffUntil - c.pullFailedAt);
      if (now >= shown)
        c.waiting = {
          reason: 'ImagePullBackOff',
          message: `Back-off pulling image "${c.spec.image}"`,
        };
      else this.wakeAt(shown);
      this.wakeAt(c.pullBackoffUntil);
      return;
    }
    if (
      c.waiting &&
      c.waiting.reason !== 'ImagePullBackOff' &&
      c.waiting.reason !== 'ErrImagePull' &&
      c.backoffUntil > now
    ) {
      this.wakeAt(c.backoffUntil);
      return;
    }
    if (!c.everRan) {
      this.startContainer(c, now);
      return;
    }
    const t = c.terminated;
    if (!t) return;
    const restart = policy === 'Always' || (policy === 'OnFailure' && t.exitCode !== 0);
    if (!restart) return;
    if (c.backoffUntil > now) {
      this.wakeAt(c.backoffUntil);
      return;
    }
    c.restartCount++;
    c.backoff.onRestart();
    this.startContainer(c, now);
  }

  private startContainer(c: ContainerState, now: number): void {
    c.starting = true;
    void (async () => {
      const ctx = this.ctx(c);
      const image = c.spec.image;
      try {
        const present = this.deps.runtime
          .images(this.deps.nodeName)
          .some((i) => i.names?.includes(image));
        if (present && c.spec.imagePullPolicy !== 'Always')
          this.event(
            'Normal',
            'Pulled',
            `Container image "${image}" already present on machine`,
            c,
          );
        else {
          this.event('Normal', 'Pulling', `Pulling image "${image}"`, c);
          const t0 = this.deps.clock.now();
          await this.deps.runtime.pullImage(ctx);
          const ms = this.deps.clock.now() - t0;
          this.event(
            'Normal',
            'Pulled',
            `Successfully pulled image "${image}" in ${ms}ms (${ms}ms including waiting). Image size: 0 bytes.`,
            c,
          );
        }
      } catch (e) {
        const msg = (e as Error).message;
        c.waiting = { reason: 'ErrImagePull', message: msg };
        this.event('Warning', 'Failed', `Failed to pull image "${image}": ${msg}`, c);
        this.event('Warning', 'Failed', 'Error: ErrImagePull', c);
        const wait = c.pullBackoff.currentMs || 10_000;
        c.pullBackoff.onRestart();
        c.pullFailedAt = this.deps.clock.now();
        c.pullBackoffUntil = c.pullFailedAt + wait;
        this.event('Normal', 'BackOff', `Back-off pulling image "${image}"`, c);
        this.event('Warning', 'Failed', 'Error: ImagePullBackOff', c);
        c.starting = false;
        this.wakeAt(c.pullBackoffUntil);
        this.kick();
        return;
      }
      let running: RunningContainer;
      try {
        running = await this.deps.runtime.startContainer(ctx);
      } catch (e) {
        const reason = e instanceof ContainerStartError ? e.reason : 'CreateContainerError';
        c.waiting = { reason, message: (e as Error).message };
        this.event('Warning', 'Failed', `Error: ${(e as Error).message}`, c);
        c.backoffUntil = this.deps.clock.now() + 10_000;
        c.starting = false;
        this.wakeAt(c.backoffUntil);
        this.kick();
        return;
      }
      c.waiting = undefined;
      c.pullBackoff = new CrashBackoff();
      c.pullBackoffUntil = 0;
      c.everRan = true;
      c.starting = false;
      this.event('Normal', 'Created', `Created container: ${c.name}`, c);
      this.event('Normal', 'Started', `Started container ${c.name}`, c);
      this.watchRunning(c, running, false);
      const postStart = c.spec.lifecycle?.postStart;
      if (postStart) {
        const r = await this.deps.runtime.runHook(this.ctx(c), postStart, this.gracePeriodMs());
        if (!r.ok && c.running === running) {
          this.event('Warning', 'FailedPostStartHook', `PostStartHook failed: ${r.output}`, c);
          void running.stop(this.gracePeriodMs(), 'FailedPostStartHook');
        }
      }
      this.kick();
    })();
    void now;
  }

  /** Follows a running container: its probes and its exit. */
  private watchRunning(c: ContainerState, running: RunningContainer, adopted: boolean): void {
    c.running = running;
    c.stopProbers();
    const { clock } = this.deps;
    const run = (probe: NonNullable<Container['readinessProbe']>, timeoutMs: number) =>
      this.deps.runtime.probe(this.ctx(c), probe, timeoutMs);
    const startOthers = () => {
      c.started = true;
      const rp = c.spec.readinessProbe;
      if (rp && c.kind !== 'init') {
        c.ready = false;
        c.probers.push(
          new Prober({
            type: 'Readiness',
            probe: rp,
            clock,
            run,
            onFailure: (out) =>
              this.event('Warning', 'Unhealthy', `Readiness probe failed: ${out}`, c),
            onResult: (ok) => {
              if (c.running !== running) return;
              c.ready = ok;
              this.kick();
            },
          }),
        );
      } else c.ready = c.kind !== 'init';
      const lp = c.spec.livenessProbe;
      if (lp && c.kind !== 'init')
        c.probers.push(
          new Prober({
            type: 'Liveness',
            probe: lp,
            clock,
            run,
            onFailure: (out) =>
              this.event('Warning', 'Unhealthy', `Liveness probe failed: ${out}`, c),
            onResult: (ok) => {
              if (ok || c.running !== running) return;
              this.event(
                'Normal',
                'Killing',
                `Container ${c.name} failed liveness probe, will be restarted`,
                c,
              );
              void running.stop(this.probeGraceMs(lp.terminationGracePeriodSeconds));
            },
          }),
        );
      this.kick();
    };
    const sp = c.spec.startupProbe;
    if (sp && c.kind !== 'init' && !adopted) {
      c.started = false;
      c.probers.push(
        new Prober({
          type: 'Startup',
          probe: sp,
          clock,
          run,
          onFailure: (out) => this.event('Warning', 'Unhealthy', `Startup probe failed: ${out}`, c),
          onResult: (ok) => {
            if (c.running !== running) return;
            if (ok) {
              for (const p of c.probers) p.stop();
              c.probers = [];
              startOthers();
            } else {
              this.event(
                'Normal',
                'Killing',
                `Container ${c.name} failed startup probe, will be restarted`,
                c,
              );
              void running.stop(this.probeGraceMs(sp.terminationGracePeriodSeconds));
            }
          },
        }),
      );
    } else startOthers();
    void running.exited.then((exit) => this.onExit(c, running, exit));
  }

  private onExit(c: ContainerState, running: RunningContainer, exit: ContainerExit): void {
    if (c.running !== running) return;
    c.stopProbers();
    c.running = undefined;
    c.started = false;
    c.ready = false;
    c.previousTerminated = c.terminated;
    c.terminated = {
      exitCode: exit.exitCode,
      ...(exit.signal !== undefined ? { signal: exit.signal } : {}),
      reason: exit.reason,
      ...(exit.message ? { message: exit.message } : {}),
      startedAt: rfc3339(running.startedAt),
      finishedAt: rfc3339(exit.finishedAt),
      containerID: running.id,
    };
    const wait = c.backoff.onExit(exit.finishedAt - running.startedAt);
    c.backoffUntil = exit.finishedAt + wait;
    if (wait > 0 && !this.terminating && this.willRestart(c)) {
      this.event(
        'Warning',
        'BackOff',
        `Back-off restarting failed container ${c.name} in pod ${this.pod.metadata.name ?? ''}_${this.pod.metadata.namespace ?? ''}(${this.uid})`,
        c,
      );
    }
    this.kick();
  }

  private willRestart(c: ContainerState): boolean {
    if (!c.terminated) return false;
    const policy = c.kind === 'sidecar' ? 'Always' : (this.pod.spec.restartPolicy ?? 'Always');
    if (c.kind === 'init' && c.terminated.exitCode === 0) return false;
    return policy === 'Always' || (policy === 'OnFailure' && c.terminated.exitCode !== 0);
  }

  private gracePeriodMs(): number {
    const g =
      this.pod.metadata.deletionGracePeriodSeconds ??
      this.pod.spec.terminationGracePeriodSeconds ??
      30;
    return g * 1000;
  }

  private probeGraceMs(probeGrace: number | undefined): number {
    return (probeGrace ?? this.pod.spec.terminationGracePeriodSeconds ?? 30) * 1000;
  }

  /** preStop, SIGTERM, SIGKILL at the deadline: regular containers first, then sidecars in reverse. */
  private async stopAll(graceMs: number): Promise<void> {
    const deadline = this.deps.clock.now() + graceMs;
    const kill = async (c: ContainerState) => {
      const running = c.running;
      if (!running) return;
      const preStop = c.spec.lifecycle?.preStop;
      if (preStop && this.terminating) {
        const r = await this.deps.runtime.runHook(
          this.ctx(c),
          preStop,
          Math.max(0, deadline - this.deps.clock.now()),
        );
        if (!r.ok) this.event('Warning', 'FailedPreStopHook', `PreStopHook failed: ${r.output}`, c);
      }
      this.event('Normal', 'Killing', `Stopping container ${c.name}`, c);
      // Upstream gives a container at least 2 s after its preStop hook.
      await running.stop(Math.max(deadline - this.deps.clock.now(), preStop ? 2000 : 0));
    };
    await Promise.all([...this.regular, ...this.init.filter((c) => c.kind === 'init')].map(kill));
    for (const c of [...this.init].reverse()) if (c.kind === 'sidecar') await kill(c);
    // Exits are recorded by onExit; wait for them to land.
    await Promise.all([...this.init, ...this.regular].map((c) => c.running?.exited));
  }

  private async terminate(): Promise<void> {
    this.terminating = true;
    const graceMs = this.gone ? 0 : this.gracePeriodMs();
    await this.stopAll(graceMs);
    for (const c of [...this.init, ...this.regular]) c.stopProbers();
    if (!this.gone) {
      try {
        await this.publish();
      } catch (e) {
        this.deps.log
          .V(2)
          .info('final status not written', { pod: this.podName(), err: String(e) });
      }
    }
    await this.deps.runtime.removeSandbox(this.uid);
    if (this.podIP) this.deps.releaseIP(this.podIP);
    if (!this.gone && this.pod.metadata.deletionTimestamp) {
      try {
        await this.deps.deletePod(this.pod);
      } catch (e) {
        this.deps.log.V(2).info('pod delete failed', { pod: this.podName(), err: String(e) });
      }
    }
    this.finished = true;
    this.cancelTimer?.();
    this.deps.onFinished(this.uid);
  }

  private containerStatus(c: ContainerState, blockedByInit: boolean, now: number): ContainerStatus {
    const s: ContainerStatus = {
      name: c.name,
      image: c.spec.image,
      imageID: '',
      ready: c.ready && !!c.running,
      restartCount: c.restartCount,
      started: !!c.running && c.started,
      state: {},
      lastState: {},
    };
    const running = c.running;
    if (running) {
      s.containerID = running.id;
      s.state = { running: { startedAt: rfc3339(running.startedAt) } };
      if (c.terminated) s.lastState = { terminated: c.terminated };
      return s;
    }
    if (c.waiting) {
      s.state = { waiting: { ...c.waiting } };
      if (c.terminated) s.lastState = { terminated: c.terminated };
      return s;
    }
    if (c.terminated) {
      if (!this.terminating && !this.failure && this.willRestart(c) && c.backoffUntil > now) {
        s.state = {
          waiting: {
            reason: 'CrashLoopBackOff',
            message: `back-off ${goDuration(c.backoff.currentMs)} restarting failed container=${c.name} pod=${this.pod.metadata.name ?? ''}_${this.pod.metadata.namespace ?? ''}(${this.uid})`,
          },
        };
        s.lastState = { terminated: c.terminated };
      } else {
        s.containerID = c.terminated.containerID;
        s.state = { terminated: c.terminated };
        if (c.previousTerminated) s.lastState = { terminated: c.previousTerminated };
      }
      return s;
    }
    s.state = { waiting: { reason: blockedByInit ? 'PodInitializing' : 'ContainerCreating' } };
    return s;
  }

  private statuses(now: number): { init: ContainerStatus[]; regular: ContainerStatus[] } {
    const init: ContainerStatus[] = [];
    let blocked = false;
    for (const c of this.init) {
      init.push(this.containerStatus(c, blocked, now));
      const done =
        c.kind === 'sidecar'
          ? c.started && !!c.running
          : c.terminated?.exitCode === 0 && !c.running;
      if (!done) blocked = true;
    }
    const regular = this.regular.map((c) => this.containerStatus(c, blocked, now));
    return { init, regular };
  }

  private currentPhase(): PodPhase {
    if (this.failure) return 'Failed';
    const { init, regular } = this.statuses(this.deps.clock.now());
    return podPhase(this.pod, init, regular, this.sidecarNames());
  }

  private sidecarNames(): Set<string> {
    return new Set(this.init.filter((c) => c.kind === 'sidecar').map((c) => c.name));
  }

  private publish(): Promise<void> {
    const now = this.deps.clock.now();
    const { init, regular } = this.statuses(now);
    const sidecars = this.sidecarNames();
    let phase: PodPhase = this.failure ? 'Failed' : podPhase(this.pod, init, regular, sidecars);
    if (
      this.terminating &&
      (phase === 'Running' || phase === 'Pending') &&
      !regular.some((s) => s.state?.running)
    ) {
      // A pod whose containers were all stopped for its deletion ends terminal (1.27+).
      phase =
        regular.every((s) => s.state?.terminated?.exitCode === 0) && regular.length
          ? 'Succeeded'
          : 'Failed';
    }
    const status: PodStatus = {
      phase,
      conditions: podConditions(
        this.pod,
        { sandboxReady: !!this.podIP && !this.terminating, phase, init, regular, sidecars },
        now,
      ),
      hostIP: this.deps.nodeIP,
      hostIPs: [{ ip: this.deps.nodeIP }],
      ...(this.podIP ? { podIP: this.podIP, podIPs: [{ ip: this.podIP }] } : {}),
      ...(this.startTime !== undefined ? { startTime: rfc3339(this.startTime) } : {}),
      ...(init.length ? { initContainerStatuses: init } : {}),
      containerStatuses: regular,
      qosClass: this.pod.status?.qosClass ?? computePodQOS(this.pod.spec),
      ...(this.failure ? { reason: this.failure.reason, message: this.failure.message } : {}),
    };
    return this.deps.setStatus(this.pod, status);
  }
}

function toTerminated(
  t: NonNullable<NonNullable<ContainerStatus['state']>['terminated']>,
): Terminated {
  return {
    exitCode: t.exitCode,
    ...(t.signal !== undefined ? { signal: t.signal } : {}),
    reason: t.reason ?? '',
    ...(t.message ? { message: t.message } : {}),
    startedAt: t.startedAt ?? '',
    finishedAt: t.finishedAt ?? '',
    containerID: t.containerID ?? '',
  };
}
