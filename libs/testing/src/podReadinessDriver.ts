/**
 * podReadinessDriver — a STAND-IN for the scheduler and the kubelets, for end-to-end tests of
 * the controller-manager while those components are being built. The lead replaces it with
 * `kubeling up --nodes 3` (real scheduler and kubelets) once they land; nothing else in a test
 * should need to change. It lives in libs/testing because both the end-to-end tests
 * (apps/e2e) and the controller benchmark (tools/bench) use it.
 *
 * What it does, as those components would, through the public API only:
 * - binds every unbound pod to `nodeName` (the scheduler's pods/binding);
 * - marks a bound pod Running with Ready=True and ready containers (the kubelet's status
 *   update), `readyAfterMs` after it first saw it — unless `neverReady(pod)` says the pod's
 *   image cannot start (a stand-in for ImagePullBackOff), then it stays Pending, not ready;
 * - finishes the deletion of a pod being deleted (the kubelet's final delete, grace 0);
 * - keeps its node alive as a kubelet would: a Ready Node and a Lease in kube-node-lease
 *   renewed every 2 s, so that the cluster's node lifecycle and pod GC controllers leave the
 *   pods bound to it alone.
 *
 *   const driver = await PodReadinessDriver.start({ server: cluster.server });
 *   ...
 *   await driver.stop();
 */
import type { Pod } from '@kubeling/api';
import {
  hasReason,
  leaseKind,
  nodeKind,
  nodeLeaseNamespace,
  podKind,
  rfc3339,
  rfc3339Micro,
} from '@kubeling/api';
import type { Lease, Node } from '@kubeling/api';
import {
  Client,
  Controller,
  enqueueObject,
  HttpTransport,
  SharedInformerFactory,
  splitKey,
} from '@kubeling/client';

export interface PodReadinessDriverOptions {
  /** The api-server URL (TestCluster.server). */
  server: string;
  /** The node every pod is bound to. */
  nodeName?: string;
  /** How long a bound pod takes to become ready (default 0). */
  readyAfterMs?: number;
  /** Pods that never become ready (default: images containing "does-not-exist"). */
  neverReady?: (pod: Pod) => boolean;
}

export class PodReadinessDriver {
  private readonly stop_ = new AbortController();
  private readonly firstSeen = new Map<string, number>();

  private constructor(
    private readonly opts: Required<Omit<PodReadinessDriverOptions, 'server'>>,
    private readonly client: Client,
    private readonly factory: SharedInformerFactory,
    private running: Promise<void> = Promise.resolve(),
  ) {}

  static async start(o: PodReadinessDriverOptions): Promise<PodReadinessDriver> {
    const client = new Client({ transport: new HttpTransport({ server: o.server }), qps: -1 });
    // Its watch ends when stop() is called: nothing to report.
    const factory = new SharedInformerFactory({ client, onError: () => undefined });
    const driver = new PodReadinessDriver(
      {
        nodeName: o.nodeName ?? 'stand-in-node',
        readyAfterMs: o.readyAfterMs ?? 0,
        neverReady:
          o.neverReady ??
          ((p) => p.spec.containers.some((c) => (c.image ?? '').includes('does-not-exist'))),
      },
      client,
      factory,
    );
    await driver.heartbeat();
    const pods = factory.informerFor<Pod>(podKind);
    const controller = new Controller({
      name: 'pod-readiness-driver',
      workers: 4,
      reconcile: (key) => driver.reconcile(pods.store.get(key), key),
      onError: () => undefined,
    });
    controller.watch(pods, enqueueObject(controller.enqueueKey));
    factory.start();
    driver.running = controller.run(driver.stop_.signal);
    await pods.waitForSync();
    return driver;
  }

  /** Registers the stand-in node (Ready) and renews its Lease every 2 s until stop(). */
  private async heartbeat(): Promise<void> {
    const name = this.opts.nodeName;
    const nodes = this.client.resource(nodeKind);
    const now = rfc3339(Date.now());
    try {
      await nodes.create({ metadata: { name } } as Node);
    } catch (e) {
      if (!hasReason(e, 'AlreadyExists')) throw e;
    }
    await nodes.patchStatus(name, 'merge', {
      status: {
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            reason: 'KubeletReady',
            message: 'kubelet is posting ready status',
            lastHeartbeatTime: now,
            lastTransitionTime: now,
          },
        ],
      },
    });
    const leases = this.client.resource(leaseKind).namespace(nodeLeaseNamespace);
    const renew = async () => {
      const spec = {
        holderIdentity: name,
        leaseDurationSeconds: 40,
        renewTime: rfc3339Micro(Date.now()),
      };
      try {
        await leases.patch(name, 'merge', { spec });
      } catch (e) {
        if (!hasReason(e, 'NotFound')) return;
        await leases
          .create({ metadata: { name, namespace: nodeLeaseNamespace }, spec } as Lease)
          .catch(() => undefined);
      }
    };
    await renew();
    const timer = setInterval(() => void renew(), 2000);
    this.stop_.signal.addEventListener('abort', () => clearInterval(timer));
  }

  private async reconcile(pod: Pod | undefined, key: string) {
    if (!pod) {
      this.firstSeen.delete(key);
      return;
    }
    const { namespace, name } = splitKey(key);
    const pods = this.client.resource(podKind).namespace(namespace);
    try {
      if (pod.metadata.deletionTimestamp) {
        await pods.delete(name, { gracePeriodSeconds: 0 });
        return;
      }
      if (!pod.spec.nodeName) {
        await this.client.bind({
          metadata: { name, namespace },
          target: { kind: 'Node', name: this.opts.nodeName },
        });
        return;
      }
      if (this.opts.neverReady(pod) || pod.status?.phase === 'Running') return;
      const seen = this.firstSeen.get(key) ?? Date.now();
      this.firstSeen.set(key, seen);
      const wait = seen + this.opts.readyAfterMs - Date.now();
      if (wait > 0) return { requeueAfter: wait };
      const now = rfc3339(Date.now());
      const cond = (type: string) => ({ type, status: 'True', lastTransitionTime: now });
      await pods.patchStatus(name, 'merge', {
        status: {
          phase: 'Running',
          hostIP: '10.0.0.1',
          podIP: '10.244.0.1',
          startTime: now,
          conditions: [
            cond('PodScheduled'),
            cond('Initialized'),
            cond('ContainersReady'),
            cond('Ready'),
          ],
          containerStatuses: pod.spec.containers.map((c) => ({
            name: c.name,
            image: c.image,
            imageID: '',
            ready: true,
            started: true,
            restartCount: 0,
            state: { running: { startedAt: now } },
          })),
        },
      });
    } catch (e) {
      if (hasReason(e, 'NotFound')) return;
      throw e;
    }
    return;
  }

  async stop(): Promise<void> {
    this.stop_.abort();
    await this.running;
    await this.factory.shutdown();
  }
}
