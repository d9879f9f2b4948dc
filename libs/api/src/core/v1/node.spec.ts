import { applyDefaults, decode, validateCreate, validateUpdate } from '../../decode';
import { formatFieldError } from '../../meta/fieldErrors';
import type { Status } from '../../meta/status';
import { isStatusError } from '../../meta/status';
import type { Node } from './node';
import { nodeKind, validateNodeStatusUpdate } from './node';

function create(raw: Record<string, unknown>): Node {
  const { object } = decode(nodeKind, raw);
  applyDefaults(nodeKind, object);
  nodeKind.prepareForCreate?.(object);
  validateCreate(nodeKind, object);
  return object;
}

function update(raw: Record<string, unknown>, old: Node): Node {
  const { object } = decode(nodeKind, raw);
  applyDefaults(nodeKind, object);
  nodeKind.prepareForUpdate?.(object, old);
  validateUpdate(nodeKind, object, old);
  return object;
}

function failure(fn: () => unknown): Status {
  try {
    fn();
  } catch (e) {
    if (isStatusError(e)) return e.status;
    throw e;
  }
  throw new Error('expected a StatusError');
}

/** What a kubelet sends when it registers its node. */
const registration = {
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'node-1', labels: { 'kubernetes.io/hostname': 'node-1' } },
  spec: { podCIDR: '127.244.1.0/24', podCIDRs: ['127.244.1.0/24'] },
  status: {
    capacity: { cpu: 4, memory: '8Gi', pods: '110' },
    phase: 'Running',
    conditions: [
      {
        type: 'Ready',
        status: 'True',
        lastHeartbeatTime: '2024-05-01T10:00:00Z',
        lastTransitionTime: '2024-05-01T10:00:00Z',
        reason: 'KubeletReady',
        message: 'kubelet is posting ready status',
      },
    ],
    addresses: [
      { type: 'InternalIP', address: '127.0.1.1' },
      { type: 'Hostname', address: 'node-1' },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
      machineID: 'm',
      systemUUID: 's',
      bootID: 'b',
      kernelVersion: '6.1.0',
      osImage: 'kubeling',
      containerRuntimeVersion: 'kubeling://0.1.0',
      kubeletVersion: 'v1.32.0',
      kubeProxyVersion: 'v1.32.0',
      operatingSystem: 'linux',
      architecture: 'amd64',
    },
    images: [{ names: ['nginx:1.14'], sizeBytes: 1024 }],
    volumesInUse: [],
  },
};

describe('Node', () => {
  it('is cluster-scoped with short name no', () => {
    expect(nodeKind).toMatchObject({
      group: '',
      version: 'v1',
      kind: 'Node',
      resource: 'nodes',
      singular: 'node',
      namespaced: false,
      shortNames: ['no'],
      subresources: ['status', 'proxy'],
    });
  });

  it('round-trips a kubelet registration, keeping status and canonicalizing quantities', () => {
    const node = create(structuredClone(registration));
    expect(node.status.capacity).toEqual({ cpu: '4', memory: '8Gi', pods: '110' });
    // SetDefaults_NodeStatus: allocatable defaults to capacity.
    expect(node.status.allocatable).toEqual(node.status.capacity);
    expect(node.status.addresses).toEqual(registration.status.addresses);
    expect(node.status.nodeInfo?.kubeletVersion).toBe('v1.32.0');
    expect(node.status.daemonEndpoints).toEqual({ kubeletEndpoint: { Port: 10250 } });
    expect(nodeKind.fieldLabels?.(node)).toEqual({ 'spec.unschedulable': 'false' });
    const again = create(JSON.parse(JSON.stringify(node)) as Record<string, unknown>);
    expect(again).toEqual(node);
  });

  it("validates taints: key, effect, and unique key+effect (under upstream's metadata.taints path)", () => {
    const base = { metadata: { name: 'n' } };
    expect(
      failure(() => create({ ...base, spec: { taints: [{ key: 'a', effect: 'NoRun' }] } })).message,
    ).toBe(
      'Node "n" is invalid: metadata.taints[0].effect: Unsupported value: "NoRun": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
    );
    expect(
      failure(() => create({ ...base, spec: { taints: [{ key: 'a', effect: '' }] } })).message,
    ).toBe('Node "n" is invalid: metadata.taints[0].effect: Required value');
    expect(
      failure(() => create({ ...base, spec: { taints: [{ key: 'a b', effect: 'NoSchedule' }] } }))
        .message,
    ).toBe(
      `Node "n" is invalid: metadata.taints[0].key: Invalid value: "a b": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    );
    const dup = failure(() =>
      create({
        ...base,
        spec: {
          taints: [
            { key: 'a', value: '1', effect: 'NoSchedule' },
            { key: 'a', value: '2', effect: 'NoSchedule' },
            { key: 'a', effect: 'NoExecute' },
          ],
        },
      }),
    );
    expect(dup.message).toBe(
      'Node "n" is invalid: metadata.taints[1]: Duplicate value: core.Taint{Key:"a", Value:"2", Effect:"NoSchedule", TimeAdded:(*v1.Time)(nil)}: taints must be unique by key and effect pair',
    );
  });

  it('rejects negative and fractional counted capacity', () => {
    const st = failure(() =>
      create({ metadata: { name: 'n' }, status: { capacity: { cpu: '-1', pods: '1500m' } } }),
    );
    expect(st.message).toBe(
      'Node "n" is invalid: [status.capacity.cpu: Invalid value: "-1": must be greater than or equal to 0, status.capacity.pods: Invalid value: "1500m": must be an integer, status.allocatable.cpu: Invalid value: "-1": must be greater than or equal to 0, status.allocatable.pods: Invalid value: "1500m": must be an integer]',
    );
  });

  it('podCIDRs must be valid, one per family', () => {
    expect(
      failure(() => create({ metadata: { name: 'n' }, spec: { podCIDRs: ['10.0.0.0/33'] } }))
        .message,
    ).toBe(
      'Node "n" is invalid: spec.podCIDRs[0]: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    );
    expect(() =>
      create({ metadata: { name: 'n' }, spec: { podCIDRs: ['10.0.0.0/24', 'fd00::/64'] } }),
    ).not.toThrow();
  });

  it('update: keeps the stored status, allows cordoning, freezes podCIDRs and providerID', () => {
    const old = create(structuredClone(registration));
    const cordon = JSON.parse(JSON.stringify(old)) as {
      spec: Record<string, unknown>;
      status: Record<string, unknown>;
    };
    cordon.spec.unschedulable = true;
    cordon.status.phase = 'Pending';
    const n = update(cordon as unknown as Record<string, unknown>, old);
    expect(n.spec.unschedulable).toBe(true);
    expect(n.status.phase).toBe('Running');
    expect(nodeKind.fieldLabels?.(n)).toEqual({ 'spec.unschedulable': 'true' });

    const moved = JSON.parse(JSON.stringify(old)) as { spec: Record<string, unknown> };
    moved.spec.podCIDRs = ['127.244.2.0/24'];
    expect(failure(() => update(moved as unknown as Record<string, unknown>, old)).message).toBe(
      'Node "node-1" is invalid: spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid',
    );
  });

  it('status updates reject duplicate addresses', () => {
    const old = create(structuredClone(registration));
    const next = structuredClone(old);
    next.status.addresses = [
      ...(next.status.addresses ?? []),
      { type: 'InternalIP', address: '127.0.1.1' },
    ];
    expect(validateNodeStatusUpdate(next, old).map(formatFieldError)).toEqual([
      'status.addresses[2]: Duplicate value: core.NodeAddress{Type:"InternalIP", Address:"127.0.1.1"}',
    ]);
  });
});
