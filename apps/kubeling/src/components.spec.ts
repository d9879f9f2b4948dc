import type { ComponentSpec, PortAllocator, ResolvedUpOptions } from './components';
import { COMPONENTS, instanceId, planCluster, startOrder } from './components';

const options: ResolvedUpOptions = {
  name: 'lab',
  nodes: 2,
  runtime: 'sim',
  apiServers: 1,
  controllerManagers: 1,
  redisUrl: 'redis://r:6379',
  natsUrl: 'nats://n:4222',
};

function spec(
  name: string,
  after: string[] = [],
  extra: Partial<ComponentSpec> = {},
): ComponentSpec {
  return {
    name,
    entry: `apps/${name}/src/main.ts`,
    after,
    replicas: () => 1,
    args: (c) => ['--cluster-name', c.cluster, '--id', c.id],
    readiness: { kind: 'stdout', line: '^ready$' },
    ...extra,
  };
}

/** Hands out 50000, 50001, ... and records what it was asked for. */
function fakePorts(): PortAllocator & { asked: (number | undefined)[] } {
  let next = 50000;
  const asked: (number | undefined)[] = [];
  const alloc = async (preferred: number | undefined) => {
    asked.push(preferred);
    return preferred ?? next++;
  };
  return Object.assign(alloc, { asked });
}

describe('startOrder', () => {
  it('keeps table order where dependencies allow it', () => {
    const order = startOrder([
      spec('api-server'),
      spec('scheduler', ['api-server']),
      spec('kubelet', ['api-server']),
    ]);
    expect(order.map((c) => c.name)).toEqual(['api-server', 'scheduler', 'kubelet']);
  });

  it('moves a component after its dependencies', () => {
    const order = startOrder([
      spec('kube-proxy', ['kubelet']),
      spec('kubelet', ['api-server']),
      spec('api-server'),
    ]);
    expect(order.map((c) => c.name)).toEqual(['api-server', 'kubelet', 'kube-proxy']);
  });

  it('rejects cycles, unknown dependencies and duplicate names', () => {
    expect(() => startOrder([spec('a', ['b']), spec('b', ['a'])])).toThrow(/cycle/);
    expect(() => startOrder([spec('a', ['ghost'])])).toThrow(/unknown component "ghost"/);
    expect(() => startOrder([spec('a'), spec('a')])).toThrow(/duplicate/);
  });

  it('accepts the real table', () => {
    expect(startOrder(COMPONENTS).map((c) => c.name)).toContain('api-server');
  });
});

describe('the kubelet entry', () => {
  it('starts one kubelet per node with runtime process, each its node, index and free port', async () => {
    const stages = await planCluster(
      { ...options, runtime: 'process', nodes: 2, controllerManagers: 0, schedulers: 0 },
      COMPONENTS,
      fakePorts(),
    );
    const kubelets = stages[1] ?? [];
    expect(kubelets.map((k) => k.id)).toEqual(['kubelet-0', 'kubelet-1']);
    expect(kubelets[1]?.args).toEqual(
      expect.arrayContaining([
        '--runtime',
        'process',
        '--node-name',
        'node-2',
        '--node-index',
        '1',
      ]),
    );
    expect(kubelets[1]?.args).toEqual(
      expect.arrayContaining(['--port', String(kubelets[1]?.port)]),
    );
    expect(kubelets[0]?.readiness).toEqual({ kind: 'stdout', line: '"kubelet running"' });
  });

  it('starts one process hosting every node with runtime sim, none with --nodes 0', async () => {
    const sim = await planCluster(
      { ...options, runtime: 'sim', nodes: 1000, controllerManagers: 0, schedulers: 0 },
      COMPONENTS,
      fakePorts(),
    );
    expect(sim[1]).toHaveLength(1);
    expect(sim[1]?.[0]?.args).toEqual(
      expect.arrayContaining(['--runtime', 'sim', '--nodes', '1000', '--node-name', 'node-{n}']),
    );
    const none = await planCluster(
      { ...options, nodes: 0, controllerManagers: 0, schedulers: 0 },
      COMPONENTS,
      fakePorts(),
    );
    expect(none.map((s) => s[0]?.component)).toEqual(['api-server']);
  });
});

describe('the api-server entry', () => {
  it('starts apps/api-server/src/main.ts with the flags of the api-server contract', async () => {
    const stages = await planCluster({ ...options, port: 7443 }, COMPONENTS, fakePorts());
    expect(stages.map((s) => s[0]?.component)).toEqual([
      'api-server',
      'controller-manager',
      'scheduler',
      'kubelet',
    ]);
    expect(stages[0]).toEqual([
      {
        component: 'api-server',
        id: 'api-server',
        entry: 'apps/api-server/src/main.ts',
        port: 7443,
        servesApi: true,
        readiness: { kind: 'http', path: '/readyz' },
        args: [
          '--cluster-name',
          'lab',
          '--bind-address',
          '127.0.0.1',
          '--port',
          '7443',
          '--redis-url',
          'redis://r:6379',
          '--nats-url',
          'nats://n:4222',
          '--id',
          'api-server',
        ],
      },
    ]);
  });

  it('gives replicas consecutive ports from --port and distinct ids', async () => {
    const ports = fakePorts();
    const [stage] = await planCluster({ ...options, apiServers: 3, port: 7000 }, COMPONENTS, ports);
    // The three api-servers, then the controller-manager's free port.
    expect(ports.asked).toEqual([7000, 7001, 7002, undefined]);
    expect(stage?.map((i) => [i.id, i.port])).toEqual([
      ['api-server-0', 7000],
      ['api-server-1', 7001],
      ['api-server-2', 7002],
    ]);
    expect(stage?.[2]?.args).toEqual(
      expect.arrayContaining(['--id', 'api-server-2', '--port', '7002']),
    );
  });

  it('asks for free ports when --port is absent', async () => {
    const ports = fakePorts();
    const [stage] = await planCluster({ ...options, apiServers: 2 }, COMPONENTS, ports);
    expect(ports.asked).toEqual([undefined, undefined, undefined]);
    expect(stage?.map((i) => i.port)).toEqual([50000, 50001]);
  });
});

describe('the controller-manager entry', () => {
  it('starts after the api-server, --controller-managers replicas, ready on /readyz of its port', async () => {
    const stages = await planCluster(
      { ...options, controllerManagers: 2, schedulers: 0, nodes: 0 },
      COMPONENTS,
      fakePorts(),
    );
    expect(stages.map((s) => s.map((i) => i.component))).toEqual([
      ['api-server'],
      ['controller-manager', 'controller-manager'],
    ]);
    expect(stages[1]?.[1]).toEqual({
      component: 'controller-manager',
      id: 'controller-manager-1',
      entry: 'apps/controller-manager/src/main.ts',
      port: 50002,
      servesApi: false,
      readiness: { kind: 'http', path: '/readyz' },
      // prettier-ignore
      args: [
        '--cluster-name', 'lab',
        '--nats-url', 'nats://n:4222',
        '--bind-address', '127.0.0.1',
        '--secure-port', '50002',
        '--id', 'controller-manager-1',
      ],
    });
  });

  it('is left out with --controller-managers 0', async () => {
    const stages = await planCluster(
      { ...options, controllerManagers: 0 },
      COMPONENTS,
      fakePorts(),
    );
    expect(stages.flat().map((i) => i.component)).not.toContain('controller-manager');
  });
});

describe('the scheduler entry', () => {
  it('starts after the api-server, on a free port, leader-elected replicas with --schedulers', async () => {
    const stages = await planCluster(
      { ...options, schedulers: 2, controllerManagers: 0, nodes: 0 },
      COMPONENTS,
      fakePorts(),
    );
    expect(stages.map((s) => s.map((i) => i.id))).toEqual([
      ['api-server'],
      ['scheduler-0', 'scheduler-1'],
    ]);
    const [first] = stages[1]!;
    expect(first).toMatchObject({
      entry: 'apps/scheduler/src/main.ts',
      readiness: { kind: 'http', path: '/readyz' },
      servesApi: false,
    });
    expect(first!.args).toEqual(
      expect.arrayContaining([
        '--cluster-name',
        'lab',
        '--nats-url',
        'nats://n:4222',
        '--secure-port',
        String(first!.port),
      ]),
    );
  });
});

describe('planCluster', () => {
  it('makes one stage per component in dependency order, with no port for non-listeners', async () => {
    const table = [
      spec('kubelet', ['api-server'], { replicas: (o) => o.nodes }),
      spec('api-server', [], { listens: { basePort: () => undefined } }),
    ];
    const stages = await planCluster(options, table, fakePorts());
    expect(stages.map((s) => s.map((i) => i.id))).toEqual([
      ['api-server'],
      ['kubelet-0', 'kubelet-1'],
    ]);
    expect(stages[1]?.[0]?.port).toBeUndefined();
    expect(stages[1]?.[1]?.args).toEqual(['--cluster-name', 'lab', '--id', 'kubelet-1']);
  });

  it('drops components with zero replicas (--nodes 0)', async () => {
    const table = [
      spec('api-server'),
      spec('kubelet', ['api-server'], { replicas: (o) => o.nodes }),
    ];
    const stages = await planCluster({ ...options, nodes: 0 }, table, fakePorts());
    expect(stages.map((s) => s.map((i) => i.id))).toEqual([['api-server']]);
  });

  it('names a single replica after its component', () => {
    expect(instanceId('scheduler', 0, 1)).toBe('scheduler');
    expect(instanceId('scheduler', 1, 2)).toBe('scheduler-1');
  });
});
