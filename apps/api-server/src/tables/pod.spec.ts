import type { ContainerStatus, Pod } from '@kubeling/api';
import { podColumns, podPrinter, podStatus } from './pod';

const now = Date.parse('2024-05-01T10:00:00Z');
const minutesAgo = (n: number) => new Date(now - n * 60_000).toISOString().replace('.000Z', 'Z');

function pod(
  spec: Partial<Pod['spec']>,
  status: Partial<Pod['status']>,
  meta: Partial<Pod['metadata']> = {},
): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', creationTimestamp: minutesAgo(3), ...meta },
    spec: { containers: [{ name: 'a', image: 'img' }], ...spec },
    status: { phase: 'Pending', ...status },
  } as Pod;
}

const running: ContainerStatus = {
  name: 'a',
  ready: true,
  restartCount: 0,
  image: 'img',
  imageID: '',
  state: { running: { startedAt: minutesAgo(2) } },
};
const waiting = (name: string, reason: string, restartCount = 0): ContainerStatus => ({
  name,
  ready: false,
  restartCount,
  image: 'img',
  imageID: '',
  state: { waiting: { reason } },
});
const terminated = (
  name: string,
  t: { exitCode: number; reason?: string; signal?: number },
): ContainerStatus => ({
  name,
  ready: false,
  restartCount: 0,
  image: 'img',
  imageID: '',
  state: { terminated: t },
});
const two = {
  containers: [
    { name: 'a', image: 'img' },
    { name: 'b', image: 'img' },
  ],
};

describe('pod columns', () => {
  it('are NAME READY STATUS RESTARTS AGE, then the wide IP NODE NOMINATED NODE READINESS GATES', () => {
    expect(podColumns.map((c) => [c.name, c.type, c.priority])).toEqual([
      ['Name', 'string', 0],
      ['Ready', 'string', 0],
      ['Status', 'string', 0],
      ['Restarts', 'string', 0],
      ['Age', 'string', 0],
      ['IP', 'string', 1],
      ['Node', 'string', 1],
      ['Nominated Node', 'string', 1],
      ['Readiness Gates', 'string', 1],
    ]);
    expect(podColumns[0]?.format).toBe('name');
  });
});

describe('pod STATUS, READY and RESTARTS (printPod)', () => {
  const status = (p: Pod) => podStatus(p, now);

  it('shows the phase of a pod nobody reported on yet', () => {
    expect(status(pod(two, {}))).toEqual({ ready: '0/2', reason: 'Pending', restarts: '0' });
  });

  it('prefers status.reason over the phase (Evicted, NodeLost)', () => {
    expect(status(pod({}, { phase: 'Failed', reason: 'Evicted' })).reason).toBe('Evicted');
    expect(status(pod({}, { phase: 'Running', reason: 'NodeLost' })).reason).toBe('NodeLost');
  });

  it('says SchedulingGated for a pod held by scheduling gates', () => {
    const p = pod(
      {},
      { conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] },
    );
    expect(status(p).reason).toBe('SchedulingGated');
  });

  it('shows a waiting container reason: ContainerCreating, ImagePullBackOff', () => {
    expect(status(pod({}, { containerStatuses: [waiting('a', 'ContainerCreating')] })).reason).toBe(
      'ContainerCreating',
    );
    expect(status(pod({}, { containerStatuses: [waiting('a', 'ImagePullBackOff')] })).reason).toBe(
      'ImagePullBackOff',
    );
  });

  it('is Running with ready running containers counted', () => {
    const p = pod(two, {
      phase: 'Running',
      containerStatuses: [running, { ...running, name: 'b', ready: false }],
    });
    expect(status(p)).toEqual({ ready: '1/2', reason: 'Running', restarts: '0' });
  });

  it('reports the first container whose state says something (statuses are read backwards)', () => {
    const p = pod(two, {
      phase: 'Running',
      containerStatuses: [waiting('a', 'CrashLoopBackOff'), waiting('b', 'ErrImagePull')],
    });
    expect(status(p).reason).toBe('CrashLoopBackOff');
  });

  it('shows CrashLoopBackOff with restarts and how long ago the last one was', () => {
    const p = pod(two, {
      phase: 'Running',
      containerStatuses: [
        {
          ...running,
          restartCount: 2,
          lastState: { terminated: { exitCode: 1, finishedAt: minutesAgo(9) } },
        },
        {
          ...waiting('b', 'CrashLoopBackOff', 3),
          lastState: { terminated: { exitCode: 1, finishedAt: minutesAgo(5) } },
        },
      ],
    });
    expect(status(p)).toEqual({ ready: '1/2', reason: 'CrashLoopBackOff', restarts: '5 (5m ago)' });
  });

  it('prints a bare restart count when no termination time is known', () => {
    const p = pod({}, { phase: 'Running', containerStatuses: [{ ...running, restartCount: 3 }] });
    expect(status(p).restarts).toBe('3');
  });

  it('is Completed for a succeeded pod, and its row says so', () => {
    const p = pod(
      {},
      {
        phase: 'Succeeded',
        containerStatuses: [terminated('a', { exitCode: 0, reason: 'Completed' })],
      },
    );
    expect(status(p)).toEqual({ ready: '0/1', reason: 'Completed', restarts: '0' });
    expect(podPrinter.print(p, now).conditions).toEqual([
      {
        type: 'Completed',
        status: 'True',
        reason: 'Succeeded',
        message: 'The pod has completed successfully.',
      },
    ]);
  });

  it('is Running (or NotReady) again when a container completed but another still runs', () => {
    const statuses = [
      terminated('a', { exitCode: 0, reason: 'Completed' }),
      { ...running, name: 'b' },
    ];
    const ready = pod(two, {
      phase: 'Running',
      containerStatuses: statuses,
      conditions: [{ type: 'Ready', status: 'True' }],
    });
    expect(status(ready).reason).toBe('Running');
    const notReady = pod(two, { phase: 'Running', containerStatuses: statuses });
    expect(status(notReady).reason).toBe('NotReady');
  });

  it('shows Error, or ExitCode:N / Signal:N when the runtime gave no reason', () => {
    const failed = pod(
      {},
      { phase: 'Failed', containerStatuses: [terminated('a', { exitCode: 1, reason: 'Error' })] },
    );
    expect(status(failed).reason).toBe('Error');
    expect(podPrinter.print(failed, now).conditions?.[0]?.reason).toBe('Failed');
    expect(
      status(pod({}, { phase: 'Failed', containerStatuses: [terminated('a', { exitCode: 2 })] }))
        .reason,
    ).toBe('ExitCode:2');
    expect(
      status(
        pod(
          {},
          { phase: 'Failed', containerStatuses: [terminated('a', { exitCode: 137, signal: 9 })] },
        ),
      ).reason,
    ).toBe('Signal:9');
  });

  it('is Terminating once deletion started, unless the pod already finished', () => {
    const meta = { deletionTimestamp: minutesAgo(0) };
    expect(status(pod({}, { phase: 'Running', containerStatuses: [running] }, meta)).reason).toBe(
      'Terminating',
    );
    expect(status(pod({}, { phase: 'Pending' }, meta)).reason).toBe('Terminating');
    const done = pod(
      {},
      {
        phase: 'Succeeded',
        containerStatuses: [terminated('a', { exitCode: 0, reason: 'Completed' })],
      },
      meta,
    );
    expect(status(done).reason).toBe('Completed');
  });

  it('is Unknown for a pod being deleted from a lost node', () => {
    const p = pod(
      {},
      { phase: 'Running', reason: 'NodeLost' },
      { deletionTimestamp: minutesAgo(1) },
    );
    expect(status(p).reason).toBe('Unknown');
  });

  describe('init containers', () => {
    const inits = {
      initContainers: [
        { name: 'i1', image: 'img' },
        { name: 'i2', image: 'img' },
      ],
    };
    const done = terminated('i1', { exitCode: 0, reason: 'Completed' });

    it('counts progress as Init:n/N', () => {
      expect(
        status(
          pod(inits, {
            initContainerStatuses: [
              waiting('i1', 'PodInitializing'),
              waiting('i2', 'PodInitializing'),
            ],
          }),
        ).reason,
      ).toBe('Init:0/2');
      expect(
        status(pod(inits, { initContainerStatuses: [done, { ...running, name: 'i2' }] })).reason,
      ).toBe('Init:1/2');
    });

    it('shows the reason an init container waits or failed', () => {
      expect(
        status(pod(inits, { initContainerStatuses: [waiting('i1', 'CrashLoopBackOff', 4)] })),
      ).toEqual({
        ready: '0/1',
        reason: 'Init:CrashLoopBackOff',
        restarts: '4',
      });
      expect(
        status(
          pod(inits, {
            initContainerStatuses: [terminated('i1', { exitCode: 1, reason: 'Error' })],
          }),
        ).reason,
      ).toBe('Init:Error');
      expect(
        status(pod(inits, { initContainerStatuses: [terminated('i1', { exitCode: 3 })] })).reason,
      ).toBe('Init:ExitCode:3');
      expect(
        status(
          pod(inits, { initContainerStatuses: [terminated('i1', { exitCode: 1, signal: 15 })] }),
        ).reason,
      ).toBe('Init:Signal:15');
    });

    it('moves on to the containers once every init container completed', () => {
      const p = pod(inits, {
        phase: 'Running',
        initContainerStatuses: [done, { ...done, name: 'i2' }],
        containerStatuses: [running],
      });
      expect(status(p)).toEqual({ ready: '1/1', reason: 'Running', restarts: '0' });
    });

    it('reads the containers when Initialized is True even if an init status lags', () => {
      const p = pod(inits, {
        phase: 'Pending',
        conditions: [{ type: 'Initialized', status: 'True' }],
        initContainerStatuses: [waiting('i1', 'PodInitializing')],
        containerStatuses: [waiting('a', 'ContainerCreating', 1)],
      });
      expect(status(p)).toEqual({ ready: '0/1', reason: 'ContainerCreating', restarts: '1' });
      // Without the condition the init container's state decides, and only its restarts count.
      const initializing = pod(inits, {
        initContainerStatuses: [waiting('i1', 'PodInitializing')],
        containerStatuses: [waiting('a', 'ContainerCreating', 1)],
      });
      expect(status(initializing)).toEqual({ ready: '0/1', reason: 'Init:0/2', restarts: '0' });
    });

    it('counts a started sidecar (restartPolicy Always) as a container, with its restarts', () => {
      const p = pod(
        { initContainers: [{ name: 'side', image: 'img', restartPolicy: 'Always' }] },
        {
          phase: 'Running',
          conditions: [{ type: 'Initialized', status: 'True' }],
          initContainerStatuses: [
            {
              ...running,
              name: 'side',
              started: true,
              restartCount: 1,
              lastState: { terminated: { exitCode: 1, finishedAt: minutesAgo(4) } },
            },
          ],
          containerStatuses: [running],
        },
      );
      expect(status(p)).toEqual({ ready: '2/2', reason: 'Running', restarts: '1 (4m ago)' });
    });
  });
});

describe('pod row', () => {
  it('has a cell per column, with <none> for what is not there yet', () => {
    const row = podPrinter.print(pod(two, {}), now);
    expect(row.cells).toEqual([
      'p',
      '0/2',
      'Pending',
      '0',
      '3m',
      '<none>',
      '<none>',
      '<none>',
      '<none>',
    ]);
    expect(row.cells).toHaveLength(podColumns.length);
  });

  it('shows IP, NODE, NOMINATED NODE and how many readiness gates are True', () => {
    const p = pod(
      {
        nodeName: 'node-1',
        readinessGates: [{ conditionType: 'example.com/a' }, { conditionType: 'example.com/b' }],
      },
      {
        phase: 'Running',
        podIP: '10.0.0.5',
        podIPs: [{ ip: '10.0.0.5' }, { ip: 'fd00::5' }],
        nominatedNodeName: 'node-2',
        conditions: [
          { type: 'example.com/a', status: 'True' },
          { type: 'example.com/b', status: 'False' },
        ],
      },
    );
    expect(podPrinter.print(p, now).cells.slice(5)).toEqual([
      '10.0.0.5',
      'node-1',
      'node-2',
      '1/2',
    ]);
  });
});
