/**
 * Nodes for tests that need them before the kubelet exists: Node objects applied with kubectl,
 * with capacity/allocatable, labels, taints and a Ready=True condition — what a kubelet would
 * register. Swap this helper for real kubelets (`startCluster({ nodes: N })`) once they exist.
 */
import type { ClusterSession } from './support';

export interface TestNode {
  name: string;
  cpu?: string;
  memory?: string;
  pods?: string;
  labels?: Record<string, string>;
  taints?: Array<{ key: string; value?: string; effect: string }>;
}

export function nodeManifest(n: TestNode): Record<string, unknown> {
  const resources = { cpu: n.cpu ?? '4', memory: n.memory ?? '8Gi', pods: n.pods ?? '110' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: n.name,
      labels: { 'kubernetes.io/hostname': n.name, 'kubernetes.io/os': 'linux', ...n.labels },
    },
    spec: n.taints ? { taints: n.taints } : {},
    status: {
      capacity: resources,
      allocatable: resources,
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'KubeletReady',
          message: 'kubelet is posting ready status',
        },
      ],
    },
  };
}

/** Creates the nodes (one kubectl call) and returns their names. */
export async function createNodes(c: ClusterSession, nodes: TestNode[]): Promise<string[]> {
  const list = { apiVersion: 'v1', kind: 'List', items: nodes.map(nodeManifest) };
  // A List has no OpenAPI schema kubeling publishes: client-side validation is skipped.
  await c.ok(['create', '--validate=false', '-f', '-'], { stdin: JSON.stringify(list) });
  return nodes.map((n) => n.name);
}
