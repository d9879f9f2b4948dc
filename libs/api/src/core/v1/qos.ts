/**
 * A pod's QoS class (pkg/apis/core/helper/qos ComputePodQOS): Guaranteed when every container
 * limits cpu and memory and requests what it limits, BestEffort when nothing requests or limits
 * cpu or memory, Burstable otherwise. The api-server writes it to status.qosClass on create, and
 * it never changes afterwards.
 */
import { parseQuantity } from '../../meta/quantity';
import type { PodSpec } from './podSpec';
import type { PodQOSClass } from './podStatus';

const qosResources = ['cpu', 'memory'] as const;

function positiveMilli(q: string | undefined): bigint | undefined {
  if (q === undefined) return undefined;
  const parsed = parseQuantity(q);
  return parsed && parsed.milli > 0n ? parsed.milli : undefined;
}

/** ComputePodQOS over containers and init containers (zero quantities count as unset). */
export function computePodQOS(spec: Pick<PodSpec, 'containers' | 'initContainers'>): PodQOSClass {
  const requests = new Map<string, bigint>();
  const limits = new Map<string, bigint>();
  let guaranteed = true;
  for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) {
    for (const name of qosResources) {
      const req = positiveMilli(c.resources?.requests?.[name]);
      if (req !== undefined) requests.set(name, (requests.get(name) ?? 0n) + req);
    }
    const limited = new Set<string>();
    for (const name of qosResources) {
      const lim = positiveMilli(c.resources?.limits?.[name]);
      if (lim === undefined) continue;
      limited.add(name);
      limits.set(name, (limits.get(name) ?? 0n) + lim);
    }
    // Guaranteed needs every container to limit both cpu and memory.
    if (!qosResources.every((r) => limited.has(r))) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed)
    for (const [name, req] of requests)
      if (limits.get(name) !== req) {
        guaranteed = false;
        break;
      }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}
