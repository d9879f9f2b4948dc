/**
 * The Node object a kubelet registers and the status it keeps current (pkg/kubelet/nodestatus's
 * setters, in small): labels, addresses, capacity/allocatable, nodeInfo, daemonEndpoints,
 * images, and the four conditions with upstream's reasons and messages.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import type { ContainerImage, Node, NodeCondition } from '@kubeling/api';
import { rfc3339 } from '@kubeling/api';
import type { NodeConfig } from './config';

/** The kubelet version kubeling reports (kubectl's own minor). */
export const KUBELET_VERSION = 'v1.32.0';

export function goArch(): string {
  const a = os.arch();
  return a === 'x64' ? 'amd64' : a === 'ia32' ? '386' : a;
}

export function nodeLabels(cfg: NodeConfig): Record<string, string> {
  return {
    'beta.kubernetes.io/arch': goArch(),
    'beta.kubernetes.io/os': 'linux',
    ...cfg.labels,
    'kubernetes.io/arch': goArch(),
    'kubernetes.io/hostname': cfg.name,
    'kubernetes.io/os': 'linux',
  };
}

/** Upstream's condition wording (pkg/kubelet/nodestatus/setters.go). */
const conditionText = {
  MemoryPressure: ['KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
  DiskPressure: ['KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
  PIDPressure: ['KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
  Ready: ['KubeletReady', 'kubelet is posting ready status'],
} as const;

/** The conditions, keeping lastTransitionTime of any whose status did not change. */
export function nodeConditions(
  nowMs: number,
  previous: readonly NodeCondition[] = [],
  ready = true,
): NodeCondition[] {
  const now = rfc3339(nowMs);
  return (['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready'] as const).map((type) => {
    const [reason, message] = conditionText[type];
    const status = type === 'Ready' ? (ready ? 'True' : 'False') : 'False';
    const old = previous.find((c) => c.type === type);
    return {
      type,
      status,
      lastHeartbeatTime: now,
      lastTransitionTime: old && old.status === status ? old.lastTransitionTime : now,
      reason: type === 'Ready' && !ready ? 'KubeletNotReady' : reason,
      message: type === 'Ready' && !ready ? 'container runtime is down' : message,
    };
  });
}

/** A stable id per node name (machineID / systemUUID are per machine upstream). */
function idOf(name: string, salt: string): string {
  return crypto
    .createHash('sha256')
    .update(salt + name)
    .digest('hex')
    .slice(0, 32);
}

const bootID = crypto.randomUUID();

export function buildNode(
  cfg: NodeConfig,
  runtimeVersion: string,
  images: ContainerImage[],
  nowMs: number,
): Node {
  const id = idOf(cfg.name, 'machine');
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: cfg.name,
      labels: nodeLabels(cfg),
      annotations: {
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: {
      podCIDR: cfg.podCIDR,
      podCIDRs: [cfg.podCIDR],
      ...(cfg.taints.length ? { taints: cfg.taints } : {}),
    },
    status: {
      capacity: { ...cfg.capacity },
      allocatable: { ...cfg.capacity },
      conditions: nodeConditions(nowMs),
      addresses: [
        { type: 'InternalIP', address: cfg.nodeIP },
        { type: 'Hostname', address: cfg.name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: cfg.kubeletPort } },
      nodeInfo: {
        machineID: id,
        systemUUID: `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20, 32)}`,
        bootID,
        kernelVersion: os.release(),
        osImage: `kubeling (${os.type()} ${os.release()})`,
        containerRuntimeVersion: runtimeVersion,
        kubeletVersion: KUBELET_VERSION,
        kubeProxyVersion: KUBELET_VERSION,
        operatingSystem: 'linux',
        architecture: goArch(),
      },
      images,
    },
  };
}
