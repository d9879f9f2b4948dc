/**
 * The pod worker on the sim runtime and a fake clock: the states a real node shows, in order,
 * with upstream's timings (back-off 10 s doubling), and deletion end to end. No sleeps.
 */
import type { Pod, PodStatus } from '@kubeling/api';
import { FakeClock, settle } from '@kubeling/client/testing';
import { silentLogger } from '@kubeling/runtime';
import { SimRuntime } from '../runtime/sim/simRuntime';
import { PodIPAllocator } from './ipam';
import { PodWorker } from './podWorker';

function makePod(
  name: string,
  spec: Partial<Pod['spec']>,
  annotations: Record<string, string> = {},
): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, annotations },
    spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec },
  } as Pod;
}

function harness(pod: Pod) {
  const clock = new FakeClock();
  const statuses: PodStatus[] = [];
  const events: string[] = [];
  const deleted: string[] = [];
  const ipam = new PodIPAllocator('127.244.3.0/24');
  let finished = false;
  const worker = new PodWorker(pod, {
    runtime: new SimRuntime({ clock }),
    clock,
    log: silentLogger,
    recorder: {
      event: (_o, type, reason, message) => events.push(`${type} ${reason} ${message}`),
      eventf: () => undefined,
    },
    nodeName: 'node-1',
    nodeIP: '127.0.1.1',
    allocateIP: () => ipam.allocate(),
    releaseIP: (ip) => ipam.release(ip),
    setStatus: async (_p, s) => {
      statuses.push(structuredClone(s));
    },
    deletePod: async (p) => {
      deleted.push(p.metadata.name ?? '');
    },
    onFinished: () => {
      finished = true;
    },
  });
  const last = () => statuses[statuses.length - 1]!;
  const advance = async (ms: number) => {
    await clock.advance(ms);
    await settle(5);
    await worker.idle();
  };
  return { clock, worker, statuses, events, deleted, last, advance, finished: () => finished };
}

describe('PodWorker', () => {
  it('goes ContainerCreating -> Running with pod IP, conditions and a running state', async () => {
    const h = harness(makePod('web', {}));
    h.worker.update(makePod('web', {}));
    await h.advance(0);
    expect(h.last().containerStatuses?.[0]?.state?.waiting?.reason).toBe('ContainerCreating');
    expect(h.last().phase).toBe('Pending');
    expect(h.last().podIP).toBe('127.244.3.2');
    await h.advance(50);
    const s = h.last();
    expect(s.phase).toBe('Running');
    expect(s.containerStatuses?.[0]).toMatchObject({ ready: true, started: true, restartCount: 0 });
    expect(s.containerStatuses?.[0]?.state?.running?.startedAt).toBeDefined();
    expect(s.conditions?.map((c) => `${c.type}=${c.status}`)).toEqual([
      'PodReadyToStartContainers=True',
      'Initialized=True',
      'Ready=True',
      'ContainersReady=True',
      'PodScheduled=True',
    ]);
    expect(s.hostIP).toBe('127.0.1.1');
  });

  it('restarts a crashing container at once, then backs off 10 s, 20 s (CrashLoopBackOff)', async () => {
    const pod = makePod(
      'crash',
      {},
      { 'sim.kubeling.io/run-ms': '1000', 'sim.kubeling.io/exit-code': '3' },
    );
    const h = harness(pod);
    h.worker.update(pod);
    await h.advance(50); // running
    await h.advance(1000); // exits with 3; restarted at once
    expect(h.last().containerStatuses?.[0]?.restartCount).toBe(1);
    await h.advance(50); // running again
    expect(h.last().containerStatuses?.[0]?.state?.running).toBeDefined();
    expect(h.last().containerStatuses?.[0]?.lastState?.terminated).toMatchObject({
      exitCode: 3,
      reason: 'Error',
    });
    await h.advance(1000); // exits again: back-off 10 s
    let cs = h.last().containerStatuses?.[0];
    expect(cs?.state?.waiting?.reason).toBe('CrashLoopBackOff');
    expect(cs?.state?.waiting?.message).toBe(
      'back-off 10s restarting failed container=c pod=crash_default(uid-crash)',
    );
    expect(h.last().phase).toBe('Running');
    await h.advance(9000);
    expect(h.last().containerStatuses?.[0]?.restartCount).toBe(1);
    await h.advance(1000);
    expect(h.last().containerStatuses?.[0]?.restartCount).toBe(2);
    await h.advance(1050);
    cs = h.last().containerStatuses?.[0];
    expect(cs?.state?.waiting?.message).toMatch(/^back-off 20s /);
    expect(
      h.events.some((e) =>
        e.startsWith(
          'Warning BackOff Back-off restarting failed container c in pod crash_default(uid-crash)',
        ),
      ),
    ).toBe(true);
  });

  it('runs init containers one by one before the containers, then Succeeds with restartPolicy Never', async () => {
    const spec = {
      restartPolicy: 'Never',
      initContainers: [
        { name: 'i1', image: 'busybox' },
        { name: 'i2', image: 'busybox' },
      ],
    };
    const pod = makePod('job', spec, { 'sim.kubeling.io/run-ms': '100' });
    const h = harness(pod);
    h.worker.update(pod);
    await h.advance(0);
    expect(h.last().initContainerStatuses?.map((s) => s.state?.waiting?.reason)).toEqual([
      'ContainerCreating',
      'PodInitializing',
    ]);
    expect(h.last().containerStatuses?.[0]?.state?.waiting?.reason).toBe('PodInitializing');
    expect(h.last().conditions?.find((c) => c.type === 'Initialized')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotInitialized',
      message: 'containers with incomplete status: [i1 i2]',
    });
    await h.advance(150); // i1 done
    expect(h.last().initContainerStatuses?.[0]?.state?.terminated).toMatchObject({
      exitCode: 0,
      reason: 'Completed',
    });
    expect(h.last().containerStatuses?.[0]?.state?.waiting?.reason).toBe('PodInitializing');
    await h.advance(150); // i2 done
    await h.advance(150); // c done
    expect(h.last().phase).toBe('Succeeded');
    expect(h.last().containerStatuses?.[0]?.state?.terminated?.reason).toBe('Completed');
    expect(h.last().conditions?.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'PodCompleted',
    });
  });

  it('starts the containers once a sidecar has started, and keeps it running', async () => {
    const spec = { initContainers: [{ name: 'side', image: 'busybox', restartPolicy: 'Always' }] };
    const h = harness(makePod('sc', spec));
    h.worker.update(makePod('sc', spec));
    await h.advance(50);
    await h.advance(50);
    const s = h.last();
    expect(s.initContainerStatuses?.[0]).toMatchObject({ started: true, ready: true });
    expect(s.containerStatuses?.[0]?.state?.running).toBeDefined();
    expect(s.phase).toBe('Running');
  });

  it('fails a pod whose init container fails with restartPolicy Never', async () => {
    const pod = makePod(
      'bad',
      { restartPolicy: 'Never', initContainers: [{ name: 'i', image: 'busybox' }] },
      { 'sim.kubeling.io/exit-code': '1' },
    );
    const h = harness(pod);
    h.worker.update(pod);
    await h.advance(100);
    await h.advance(10); // the exit timer armed once the start completed
    expect(h.last().phase).toBe('Failed');
    expect(h.last().initContainerStatuses?.[0]?.state?.terminated).toMatchObject({
      exitCode: 1,
      reason: 'Error',
    });
  });

  it('shows ErrImagePull, then ImagePullBackOff', async () => {
    const pod = makePod('nopull', {}, { 'sim.kubeling.io/fail-pull': 'true' });
    const h = harness(pod);
    h.worker.update(pod);
    await h.advance(0);
    expect(h.last().containerStatuses?.[0]?.state?.waiting?.reason).toBe('ErrImagePull');
    await h.advance(5000);
    expect(h.last().containerStatuses?.[0]?.state?.waiting).toEqual({
      reason: 'ImagePullBackOff',
      message: 'Back-off pulling image "busybox"',
    });
  });

  it('on deletion stops the containers, writes the final status and deletes the pod', async () => {
    const pod = makePod('del', {});
    const h = harness(pod);
    h.worker.update(pod);
    await h.advance(50);
    h.worker.update({
      ...pod,
      metadata: {
        ...pod.metadata,
        deletionTimestamp: '2026-01-01T00:00:00Z',
        deletionGracePeriodSeconds: 30,
      },
    });
    await h.advance(0);
    expect(h.deleted).toEqual(['del']);
    expect(h.finished()).toBe(true);
    expect(h.last().containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 143 });
    expect(h.events).toContain('Normal Killing Stopping container c');
  });

  it('fails the pod past activeDeadlineSeconds', async () => {
    const pod = makePod('dl', { activeDeadlineSeconds: 5 });
    const h = harness(pod);
    h.worker.update(pod);
    await h.advance(50);
    await h.advance(5000);
    expect(h.last()).toMatchObject({
      phase: 'Failed',
      reason: 'DeadlineExceeded',
      message: 'Pod was active on the node longer than the specified deadline',
    });
  });
});
