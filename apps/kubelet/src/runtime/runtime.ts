/**
 * The container runtime interface (kubeling's CRI, in small). The kubelet core (pod workers,
 * restart policy, back-off, probes' timing, status) is the same for every runtime; a runtime
 * only does what containerd does: pull an image, set up a pod's sandbox, start a container
 * and report its exit, run a probe or hook action inside a container, and find again what it
 * was running before a kubelet restart.
 *
 *   process: containers are local processes (apps/kubelet/src/runtime/process/)
 *   sim:     nothing runs; containers exit on simulated timings (apps/kubelet/src/runtime/sim/)
 */
import type { Container, ContainerImage, LifecycleHandler, Pod, Probe } from '@kubeling/api';
import type { StreamingRuntime } from '../server/streamingRuntime';

export type ContainerKind = 'init' | 'sidecar' | 'regular';

export interface ContainerContext {
  pod: Pod;
  container: Container;
  kind: ContainerKind;
  /** How many times this container was restarted before this start (the attempt number). */
  restartCount: number;
  podIP: string;
  nodeName: string;
  nodeIP: string;
}

/** How a container ended (ContainerStateTerminated's fields). */
export interface ContainerExit {
  exitCode: number;
  signal?: number;
  /** Completed | Error | OOMKilled | ContainerCannotRun | DeadlineExceeded ... */
  reason: string;
  message?: string;
  finishedAt: number;
}

export interface RunningContainer {
  /** containerID as status shows it: `<runtime>://<id>`. */
  readonly id: string;
  readonly startedAt: number;
  readonly pid?: number;
  /** Settles once, when the container has ended. */
  readonly exited: Promise<ContainerExit>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit. */
  stop(graceMs: number, reason?: string): Promise<ContainerExit>;
}

/**
 * A failure to start a container, with the waiting reason Kubernetes shows for it
 * (ErrImagePull, CreateContainerConfigError, CreateContainerError, RunContainerError).
 */
export class ContainerStartError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ActionResult {
  ok: boolean;
  /** What a failed probe or hook said (the event message's tail). */
  output: string;
}

/** A container the runtime still runs from before a kubelet restart. */
export interface AdoptedContainer {
  name: string;
  restartCount: number;
  running: RunningContainer;
}

export interface AdoptedPod {
  uid: string;
  podIP: string;
  containers: AdoptedContainer[];
}

export interface ContainerRuntime {
  readonly name: string;
  /** nodeInfo.containerRuntimeVersion, e.g. `kubeling-process://0.1.0`. */
  readonly version: string;
  /** status.images of a node. */
  images(node: string): ContainerImage[];
  /** Resolves once the image is present; throws ContainerStartError('ErrImagePull', ...). */
  pullImage(ctx: ContainerContext): Promise<void>;
  /** Creates the pod's sandbox (volumes, directories); idempotent. */
  createSandbox(pod: Pod, podIP: string, nodeName: string): Promise<void>;
  startContainer(ctx: ContainerContext): Promise<RunningContainer>;
  /** A probe's exec/httpGet/tcpSocket/grpc action against the running container. */
  probe(ctx: ContainerContext, probe: Probe, timeoutMs: number): Promise<ActionResult>;
  /** A lifecycle hook (postStart, preStop). */
  runHook(
    ctx: ContainerContext,
    handler: LifecycleHandler,
    timeoutMs: number,
  ): Promise<ActionResult>;
  /** Removes what the sandbox left (volumes, state); the containers are already stopped. */
  removeSandbox(uid: string): Promise<void>;
  /** What the runtime still runs from a previous kubelet, per pod uid. */
  adopt(nodeName: string): Promise<AdoptedPod[]>;
  /** Memory usage of a running container (bytes), when the runtime can tell. */
  streaming: StreamingRuntime;
}
