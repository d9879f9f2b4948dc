/**
 * Zone disruption states (upstream's ComputeZoneState and handleDisruption), which decide
 * whether unhealthy nodes get NoExecute taints, i.e. whether their pods are evicted:
 * - Normal: taint;
 * - FullDisruption (no node of the zone Ready): taint, unless every zone is in full disruption —
 *   then the controller itself is most likely cut off, and it removes the NoExecute taints
 *   ("Controller detected that all Nodes are not-Ready. Entering master disruption mode.");
 * - PartialDisruption (more than 2 nodes not Ready and at least --unhealthy-zone-threshold of
 *   them): a zone of at most --large-cluster-size-threshold nodes gets no new taints
 *   (upstream's secondary eviction rate is 0 there); a larger one still does.
 * The eviction rates themselves (--node-eviction-rate 0.1/s, --secondary-node-eviction-rate)
 * are not modelled: tainting is not rate-limited.
 */
import type { Node } from '@kubeling/api';
import type { NoExecutePolicy } from './taints';

export type ZoneState = 'Normal' | 'PartialDisruption' | 'FullDisruption';

/** GetZoneKey: region and zone labels; nodes without them share the '' zone. */
export function zoneKey(node: Node): string {
  const l = node.metadata.labels ?? {};
  const region = l['topology.kubernetes.io/region'] ?? '';
  const zone = l['topology.kubernetes.io/zone'] ?? '';
  return region || zone ? `${region}:\x00:${zone}` : '';
}

const isReady = (n: Node) =>
  n.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';

export function zoneState(nodes: readonly Node[], unhealthyThreshold: number): ZoneState {
  const notReady = nodes.filter((n) => !isReady(n)).length;
  const ready = nodes.length - notReady;
  if (ready === 0 && notReady > 0) return 'FullDisruption';
  if (notReady > 2 && notReady / nodes.length >= unhealthyThreshold) return 'PartialDisruption';
  return 'Normal';
}

export interface DisruptionOptions {
  unhealthyZoneThreshold: number;
  largeClusterSizeThreshold: number;
}

/** What the NoExecute taints of `node` may do, given every node's state. */
export function noExecutePolicy(
  node: Node,
  nodes: readonly Node[],
  opts: DisruptionOptions,
): NoExecutePolicy {
  const zones = new Map<string, Node[]>();
  for (const n of nodes) zones.set(zoneKey(n), [...(zones.get(zoneKey(n)) ?? []), n]);
  const states = new Map(
    [...zones].map(([k, ns]) => [k, zoneState(ns, opts.unhealthyZoneThreshold)] as const),
  );
  if (states.size && [...states.values()].every((s) => s === 'FullDisruption')) return 'none';
  const zone = zones.get(zoneKey(node)) ?? [node];
  if (
    states.get(zoneKey(node)) === 'PartialDisruption' &&
    zone.length <= opts.largeClusterSizeThreshold
  )
    return 'keep';
  return 'taint';
}
