import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  defaultNodeIP,
  defaultPodCIDR,
  nodeConfigs,
  parseNodeLabels,
  parseTaints,
  readConfigFile,
} from './config';

const flags = {
  nodeName: 'node-1',
  nodes: 1,
  nodeIndex: -1,
  nodeLabels: '',
  registerWithTaints: '',
  maxPods: 110,
  nodeCpu: '4',
  nodeMemory: '8Gi',
  nodeEphemeralStorage: '100Gi',
  port: 10250,
};

describe('node config', () => {
  it('parses --node-labels and --register-with-taints with upstream syntax and errors', () => {
    expect(parseNodeLabels('a=b, tier=web')).toEqual({ a: 'b', tier: 'web' });
    expect(() => parseNodeLabels('novalue')).toThrow('invalid label "novalue": want key=value');
    expect(parseTaints('dedicated=gpu:NoSchedule,spot:PreferNoSchedule')).toEqual([
      { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
      { key: 'spot', effect: 'PreferNoSchedule' },
    ]);
    expect(() => parseTaints('a=b:Never')).toThrow(
      'invalid taint effect: Never, unsupported taint effect',
    );
    expect(() => parseTaints('nocolon')).toThrow('invalid taint spec: nocolon');
  });

  it('derives InternalIP and podCIDR from the node number, past 254 and 256 nodes too', () => {
    expect(defaultNodeIP(0)).toBe('127.0.1.1');
    expect(defaultNodeIP(254)).toBe('127.0.2.255');
    expect(defaultNodeIP(255)).toBe('127.0.2.1');
    expect(defaultPodCIDR(0)).toBe('127.244.0.0/24');
    expect(defaultPodCIDR(257)).toBe('127.245.1.0/24');
    const [one] = nodeConfigs(flags);
    expect(one).toMatchObject({
      name: 'node-1',
      index: 0,
      nodeIP: '127.0.1.1',
      podCIDR: '127.244.0.0/24',
    });
    expect(one?.capacity).toEqual({
      cpu: '4',
      memory: '8Gi',
      'ephemeral-storage': '100Gi',
      pods: '110',
    });
    const [two] = nodeConfigs({ ...flags, nodeName: 'node-2' });
    expect(two).toMatchObject({ index: 1, nodeIP: '127.0.1.2', podCIDR: '127.244.1.0/24' });
  });

  it('names hollow nodes from a pattern, each with its own addresses', () => {
    const many = nodeConfigs({ ...flags, nodes: 3, nodeName: 'hollow-{n}', nodeIndex: 10 });
    expect(many.map((n) => [n.name, n.nodeIP, n.podCIDR])).toEqual([
      ['hollow-11', '127.0.1.11', '127.244.10.0/24'],
      ['hollow-12', '127.0.1.12', '127.244.11.0/24'],
      ['hollow-13', '127.0.1.13', '127.244.12.0/24'],
    ]);
    expect(nodeConfigs({ ...flags, nodes: 2, nodeName: 'h' }).map((n) => n.name)).toEqual([
      'h-1',
      'h-2',
    ]);
  });

  it('reads a KubeletConfiguration file; flags merge labels and replace taints', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelet-config-'));
    const file = path.join(dir, 'config.yaml');
    fs.writeFileSync(
      file,
      'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nmaxPods: 20\nnodeLabels: {zone: a, tier: db}\nregisterWithTaints: [{key: k, value: v, effect: NoExecute}]\n',
    );
    const cfg = readConfigFile(file);
    const [n] = nodeConfigs({ ...flags, nodeLabels: 'tier=web' }, cfg);
    expect(n?.labels).toEqual({ zone: 'a', tier: 'web' });
    expect(n?.taints).toEqual([{ key: 'k', value: 'v', effect: 'NoExecute' }]);
    expect(n?.capacity.pods).toBe('20');
    fs.writeFileSync(file, 'kind: Pod\n');
    expect(() => readConfigFile(file)).toThrow(/has kind Pod, want KubeletConfiguration/);
    fs.rmSync(dir, { recursive: true });
  });
});
