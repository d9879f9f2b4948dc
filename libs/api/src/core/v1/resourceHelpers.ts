/**
 * What a pod asks of a node (upstream's k8s.io/component-helpers/resource PodRequests, as the
 * scheduler's NodeResourcesFit, the kubelet's admission and DaemonSets use it): the sum of the
 * containers' requests, at least the largest init container's (sidecars — init containers with
 * restartPolicy Always — keep running, so they add to every later init container and to the
 * containers), plus the pod's overhead.
 *
 * Amounts are plain numbers: cpu in millicores, everything else in whole units (bytes, pods),
 * rounded up as resource.Quantity.Value does. Numbers are exact up to 2^53 (8 PiB), and are
 * what a scheduler can add and compare millions of times a second.
 */
import { parseQuantity } from '../../meta/quantity';
import type { PodSpec } from './podSpec';
import type { Node } from './node';

/** Resource name → amount (cpu in millicores, others in units). */
export type ResourceAmounts = Record<string, number>;

export const ResourceCPU = 'cpu';
export const ResourceMemory = 'memory';
export const ResourcePods = 'pods';
export const ResourceEphemeralStorage = 'ephemeral-storage';

/** The scheduler's defaults for a container that requests no cpu / memory, when scoring. */
export const DefaultMilliCPURequest = 100;
export const DefaultMemoryRequest = 200 * 1024 * 1024;

/** One quantity as an amount of `resource`: millicores for cpu, units (rounded up) otherwise. */
export function quantityAmount(resource: string, q: string | number | undefined): number {
  if (q === undefined) return 0;
  const parsed = parseQuantity(String(q));
  if (!parsed) return 0;
  if (resource === ResourceCPU) return Number(parsed.milli);
  const units = parsed.nano / 1_000_000_000n + (parsed.nano % 1_000_000_000n > 0n ? 1n : 0n);
  return Number(units);
}

/** A ResourceList (name → quantity) as amounts. */
export function resourceListAmounts(list: Record<string, string> | undefined): ResourceAmounts {
  const out: ResourceAmounts = {};
  for (const [name, q] of Object.entries(list ?? {})) out[name] = quantityAmount(name, q);
  return out;
}

function addInto(into: ResourceAmounts, add: ResourceAmounts): void {
  for (const [k, v] of Object.entries(add)) into[k] = (into[k] ?? 0) + v;
}

function maxInto(into: ResourceAmounts, other: ResourceAmounts): void {
  for (const [k, v] of Object.entries(other)) if (v > (into[k] ?? 0)) into[k] = v;
}

export interface PodRequestsOptions {
  /**
   * Count a container that requests no cpu (memory) as requesting 100m (200Mi): the scheduler's
   * "non-zero" requests, used to score so that best-effort pods still spread.
   */
  nonZero?: boolean;
  /** Leave out spec.overhead (default: added, as PodOverhead is GA). */
  excludeOverhead?: boolean;
}

function containerRequests(
  c: { resources?: { requests?: Record<string, string> } },
  nonZero: boolean,
): ResourceAmounts {
  const r = resourceListAmounts(c.resources?.requests);
  if (nonZero) {
    if (!(ResourceCPU in r) || r[ResourceCPU] === 0) r[ResourceCPU] = DefaultMilliCPURequest;
    if (!(ResourceMemory in r) || r[ResourceMemory] === 0) r[ResourceMemory] = DefaultMemoryRequest;
  }
  return r;
}

/**
 * PodRequests: containers summed; the max of that and each init container's need (a regular
 * init container runs alone next to the sidecars started before it; a sidecar adds to all that
 * follows); then the overhead.
 */
export function computePodRequests(
  spec: Pick<PodSpec, 'containers' | 'initContainers' | 'overhead'>,
  opts: PodRequestsOptions = {},
): ResourceAmounts {
  const nonZero = opts.nonZero ?? false;
  const reqs: ResourceAmounts = {};
  for (const c of spec.containers ?? []) addInto(reqs, containerRequests(c, nonZero));
  const sidecars: ResourceAmounts = {};
  const initMax: ResourceAmounts = {};
  for (const c of spec.initContainers ?? []) {
    const own = containerRequests(c, nonZero);
    if (c.restartPolicy === 'Always') {
      addInto(reqs, own);
      addInto(sidecars, own);
      maxInto(initMax, sidecars);
    } else {
      const need = { ...own };
      addInto(need, sidecars);
      maxInto(initMax, need);
    }
  }
  maxInto(reqs, initMax);
  if (!opts.excludeOverhead && spec.overhead) addInto(reqs, resourceListAmounts(spec.overhead));
  return reqs;
}

/** A node's allocatable (falling back to capacity, as the defaulting does) as amounts. */
export function nodeAllocatable(node: Pick<Node, 'status'>): ResourceAmounts {
  return resourceListAmounts(node.status?.allocatable ?? node.status?.capacity);
}
