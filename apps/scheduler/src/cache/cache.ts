/**
 * The scheduler cache (upstream's internal/cache): every node with the pods on it and what they
 * request, including pods this scheduler has *assumed* onto a node but whose binding the pod
 * informer has not shown yet. Assuming happens synchronously at the end of a scheduling cycle,
 * before the (asynchronous) bind, so the next cycle already sees the node's resources taken: a
 * burst of pods never overcommits a node. A failed bind forgets the assumed pod; the informer's
 * add of the bound pod confirms it.
 */
import type { Node, Pod } from '@kubeling/api';
import type { Snapshot } from '../framework/interface';
import type { PodInfo } from '../framework/nodeInfo';
import { NodeInfo, newPodInfo, podKeyOf } from '../framework/nodeInfo';

interface PodState {
  info: PodInfo;
  nodeName: string;
  assumed: boolean;
}

export class SchedulerCache implements Snapshot {
  private readonly infos = new Map<string, NodeInfo>();
  private readonly podStates = new Map<string, PodState>();
  private list: NodeInfo[] | undefined;

  get nodes(): readonly NodeInfo[] {
    if (!this.list) this.list = [...this.infos.values()].filter((n) => n.node !== undefined);
    return this.list;
  }

  get(name: string): NodeInfo | undefined {
    const n = this.infos.get(name);
    return n?.node ? n : undefined;
  }

  havePodsWithAffinity(): NodeInfo[] {
    return this.nodes.filter((n) => n.podsWithAffinity.size > 0);
  }

  nodeCount(): number {
    return this.nodes.length;
  }

  podCount(): number {
    return this.podStates.size;
  }

  isAssumed(pod: Pod): boolean {
    return this.podStates.get(podKeyOf(pod))?.assumed ?? false;
  }

  private infoFor(nodeName: string): NodeInfo {
    let n = this.infos.get(nodeName);
    if (!n) {
      // Pods may arrive before their node: keep them on a NodeInfo without a Node.
      n = new NodeInfo();
      this.infos.set(nodeName, n);
    }
    return n;
  }

  addNode(node: Node): void {
    const name = node.metadata.name ?? '';
    const had = this.infos.get(name)?.node !== undefined;
    this.infoFor(name).setNode(node);
    if (!had) this.list = undefined;
  }

  updateNode(node: Node): void {
    this.addNode(node);
  }

  removeNode(node: Node): void {
    const name = node.metadata.name ?? '';
    const n = this.infos.get(name);
    if (!n) return;
    if (n.pods.size === 0) this.infos.delete(name);
    else n.node = undefined;
    this.list = undefined;
  }

  /** `pod` (with spec.nodeName set to the chosen node) is counted on its node until bound or forgotten. */
  assumePod(pod: Pod): void {
    const key = podKeyOf(pod);
    if (this.podStates.has(key)) throw new Error(`pod ${key} is in the cache, so can't be assumed`);
    const nodeName = pod.spec.nodeName ?? '';
    const info = newPodInfo(pod);
    this.infoFor(nodeName).addPod(info);
    this.podStates.set(key, { info, nodeName, assumed: true });
  }

  /** The bind failed: the assumed pod leaves its node. */
  forgetPod(pod: Pod): void {
    const key = podKeyOf(pod);
    const st = this.podStates.get(key);
    if (!st || !st.assumed) return;
    this.removeFromNode(key, st.nodeName);
    this.podStates.delete(key);
  }

  /** An assigned pod from the informer: confirms an assumed pod, or adds one bound by others. */
  addPod(pod: Pod): void {
    const key = podKeyOf(pod);
    const st = this.podStates.get(key);
    if (st) this.removeFromNode(key, st.nodeName);
    const info = newPodInfo(pod);
    const nodeName = pod.spec.nodeName ?? '';
    this.infoFor(nodeName).addPod(info);
    this.podStates.set(key, { info, nodeName, assumed: false });
  }

  updatePod(pod: Pod): void {
    this.addPod(pod);
  }

  removePod(pod: Pod): void {
    const key = podKeyOf(pod);
    const st = this.podStates.get(key);
    if (!st) return;
    this.removeFromNode(key, st.nodeName);
    this.podStates.delete(key);
  }

  private removeFromNode(key: string, nodeName: string): void {
    const n = this.infos.get(nodeName);
    if (!n) return;
    n.removePod(key);
    if (!n.node && n.pods.size === 0) this.infos.delete(nodeName);
  }
}
