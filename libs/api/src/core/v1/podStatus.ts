/**
 * core/v1 PodStatus: phase, conditions, addresses and the container statuses the kubelet
 * reports, in Go field order. Times are RFC 3339 strings.
 */
import { z } from 'zod';
import { statusCondition } from './condition';
import { ResourceList } from './resourceQuota';

const int = () => z.number().int();

export const PodPhases = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'] as const;
export type PodPhase = (typeof PodPhases)[number];

export const PodQOSClasses = ['Guaranteed', 'Burstable', 'BestEffort'] as const;
export type PodQOSClass = (typeof PodQOSClasses)[number];

/** type: PodScheduled | PodReadyToStartContainers | Initialized | ContainersReady | Ready | DisruptionTarget | ... */
export const PodCondition = statusCondition('lastProbeTime');
export type PodCondition = z.infer<typeof PodCondition>;

export const PodIP = z.object({ ip: z.string().optional() }).strict();
export type PodIP = z.infer<typeof PodIP>;

export const ContainerStateWaiting = z
  .object({ reason: z.string().optional(), message: z.string().optional() })
  .strict();

export const ContainerStateRunning = z.object({ startedAt: z.string().optional() }).strict();

export const ContainerStateTerminated = z
  .object({
    exitCode: int(),
    signal: int().optional(),
    reason: z.string().optional(),
    message: z.string().optional(),
    startedAt: z.string().optional(),
    finishedAt: z.string().optional(),
    containerID: z.string().optional(),
  })
  .strict();

/** At most one of waiting/running/terminated; none means waiting. */
export const ContainerState = z
  .object({
    waiting: ContainerStateWaiting.optional(),
    running: ContainerStateRunning.optional(),
    terminated: ContainerStateTerminated.optional(),
  })
  .strict();
export type ContainerState = z.infer<typeof ContainerState>;

export const ContainerStatus = z
  .object({
    name: z.string(),
    state: ContainerState.optional(),
    lastState: ContainerState.optional(),
    ready: z.boolean().optional(),
    restartCount: int().optional(),
    image: z.string().optional(),
    imageID: z.string().optional(),
    containerID: z.string().optional(),
    started: z.boolean().optional(),
    allocatedResources: ResourceList.optional(),
    resources: z
      .object({ limits: ResourceList.optional(), requests: ResourceList.optional() })
      .strict()
      .optional(),
    volumeMounts: z
      .array(
        z
          .object({
            name: z.string(),
            mountPath: z.string(),
            readOnly: z.boolean().optional(),
            recursiveReadOnly: z.string().optional(),
          })
          .strict(),
      )
      .optional(),
  })
  .strict();
export type ContainerStatus = z.infer<typeof ContainerStatus>;

export const PodStatus = z
  .object({
    phase: z.string().optional(),
    conditions: z.array(PodCondition).optional(),
    message: z.string().optional(),
    reason: z.string().optional(),
    nominatedNodeName: z.string().optional(),
    hostIP: z.string().optional(),
    hostIPs: z.array(PodIP).optional(),
    podIP: z.string().optional(),
    podIPs: z.array(PodIP).optional(),
    startTime: z.string().optional(),
    initContainerStatuses: z.array(ContainerStatus).optional(),
    containerStatuses: z.array(ContainerStatus).optional(),
    qosClass: z.string().optional(),
    ephemeralContainerStatuses: z.array(ContainerStatus).optional(),
    resize: z.string().optional(),
  })
  .strict();
export type PodStatus = z.infer<typeof PodStatus>;

function defaultContainerStatus(s: ContainerStatus): void {
  // Non-omitempty in Go: the api-server always writes these back.
  s.ready ??= false;
  s.restartCount ??= 0;
  s.image ??= '';
  s.imageID ??= '';
  s.state ??= {};
  s.lastState ??= {};
}

/**
 * What conversion and defaulting do to a status on its way in: podIP/podIPs and hostIP/hostIPs
 * are kept in step (Convert_v1_PodStatus_To_core_PodStatus: the singular field wins when both
 * are given and differ, and is written back as the first of the plural one); container statuses
 * get their always-present fields.
 */
export function defaultPodStatus(st: PodStatus): void {
  if (st.podIP && st.podIPs?.[0]?.ip !== st.podIP) st.podIPs = [{ ip: st.podIP }];
  if (st.podIPs?.length) st.podIP = st.podIPs[0]?.ip ?? '';
  if (st.hostIP && st.hostIPs?.[0]?.ip !== st.hostIP) st.hostIPs = [{ ip: st.hostIP }];
  if (st.hostIPs?.length) st.hostIP = st.hostIPs[0]?.ip ?? '';
  for (const s of st.initContainerStatuses ?? []) defaultContainerStatus(s);
  for (const s of st.containerStatuses ?? []) defaultContainerStatus(s);
  for (const s of st.ephemeralContainerStatuses ?? []) defaultContainerStatus(s);
}
