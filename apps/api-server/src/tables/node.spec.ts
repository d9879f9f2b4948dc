import type { Node } from '@kubeling/api';
import { nodeColumns, nodePrinter, nodeRoles, nodeStatus } from './node';

const now = Date.parse('2024-05-01T10:00:00Z');

function node(n: {
  labels?: Record<string, string>;
  spec?: Node['spec'];
  status?: Node['status'];
}): Node {
  return {
    metadata: { name: 'n1', creationTimestamp: '2024-04-29T07:00:00Z', labels: n.labels ?? {} },
    spec: n.spec ?? {},
    status: n.status ?? {},
  };
}
const ready = (status: string) => ({
  conditions: [
    { type: 'MemoryPressure', status: 'False' },
    { type: 'Ready', status },
  ],
});

describe('node columns', () => {
  it('are NAME STATUS ROLES AGE VERSION, and wide INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME', () => {
    expect(nodeColumns.map((c) => `${c.name}:${c.priority}`)).toEqual([
      'Name:0',
      'Status:0',
      'Roles:0',
      'Age:0',
      'Version:0',
      'Internal-IP:1',
      'External-IP:1',
      'OS-Image:1',
      'Kernel-Version:1',
      'Container-Runtime:1',
    ]);
  });
});

describe('node STATUS', () => {
  it('reads the Ready condition: Ready, NotReady (False or Unknown), Unknown when absent', () => {
    expect(nodeStatus(node({ status: ready('True') }))).toBe('Ready');
    expect(nodeStatus(node({ status: ready('False') }))).toBe('NotReady');
    expect(nodeStatus(node({ status: ready('Unknown') }))).toBe('NotReady');
    expect(nodeStatus(node({}))).toBe('Unknown');
    expect(
      nodeStatus(node({ status: { conditions: [{ type: 'DiskPressure', status: 'True' }] } })),
    ).toBe('Unknown');
  });

  it('adds SchedulingDisabled for a cordoned node', () => {
    expect(nodeStatus(node({ status: ready('True'), spec: { unschedulable: true } }))).toBe(
      'Ready,SchedulingDisabled',
    );
    expect(nodeStatus(node({ spec: { unschedulable: true } }))).toBe('Unknown,SchedulingDisabled');
  });
});

describe('node ROLES', () => {
  it('come from node-role.kubernetes.io/<role> and kubernetes.io/role labels', () => {
    expect(nodeRoles(node({}))).toBe('<none>');
    expect(
      nodeRoles(
        node({
          labels: {
            'node-role.kubernetes.io/worker': '',
            'node-role.kubernetes.io/control-plane': '',
            'node-role.kubernetes.io/': '',
            'kubernetes.io/role': 'edge',
            'kubernetes.io/hostname': 'n1',
          },
        }),
      ),
    ).toBe('control-plane,edge,worker');
    expect(nodeRoles(node({ labels: { 'kubernetes.io/role': '' } }))).toBe('<none>');
  });
});

describe('node row', () => {
  it('prints version, addresses and system info, <none>/<unknown> when missing', () => {
    const full = node({
      status: {
        ...ready('True'),
        addresses: [
          { type: 'Hostname', address: 'n1' },
          { type: 'InternalIP', address: '127.0.0.2' },
          { type: 'ExternalIP', address: '203.0.113.7' },
        ],
        nodeInfo: {
          kubeletVersion: 'v1.32.0',
          osImage: 'Ubuntu 24.04',
          kernelVersion: '6.8.0',
          containerRuntimeVersion: 'kubeling://0.1.0',
        },
      },
    });
    expect(nodePrinter.print(full, now).cells).toEqual([
      'n1',
      'Ready',
      '<none>',
      '2d3h',
      'v1.32.0',
      '127.0.0.2',
      '203.0.113.7',
      'Ubuntu 24.04',
      '6.8.0',
      'kubeling://0.1.0',
    ]);
    expect(nodePrinter.print(node({}), now).cells.slice(4)).toEqual([
      '',
      '<none>',
      '<none>',
      '<unknown>',
      '<unknown>',
      '<unknown>',
    ]);
  });
});
