/**
 * Service REST behaviour: ClusterIP and NodePort allocation, as the service registry does it.
 *
 * Each allocated IP or port is an object in an internal store resource (the idea of upstream's
 * IPAddress objects): allocation is an atomic create, so replicas sharing the store never hand
 * out the same address, and nothing needs an in-memory bitmap that a restart would lose.
 * A crash between allocation and the Service write leaks an entry; the controller-manager's
 * repair loop frees leaked entries (as upstream's repair controllers do).
 */
import { randomInt } from 'node:crypto';
import type { FieldError, KubeObject } from '@kubeling/api';
import { hasReason, internalError, invalid, invalidValue } from '@kubeling/api';
import type { StorageInterface } from '@kubeling/store';
import type { KindHooks } from './resource';

export const serviceIPsGR = { group: 'internal.kubeling.io', resource: 'serviceips' };
export const nodePortsGR = { group: 'internal.kubeling.io', resource: 'nodeports' };

interface ServicePort {
  name?: string;
  protocol?: string;
  port: number;
  nodePort?: number;
}

interface ServiceLike extends KubeObject {
  spec?: {
    type?: string;
    clusterIP?: string;
    clusterIPs?: string[];
    ports?: ServicePort[];
    ipFamilies?: string[];
    ipFamilyPolicy?: string;
    healthCheckNodePort?: number;
    externalTrafficPolicy?: string;
  };
}

export interface Cidr {
  base: number;
  size: number;
  text: string;
}

export function parseCidr(text: string): Cidr {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(text);
  if (!m) throw new Error(`invalid CIDR ${text}`);
  const bits = Number(m[5]);
  if (bits < 1 || bits > 30) throw new Error(`CIDR ${text} must have a prefix between /1 and /30`);
  const ip = ipToInt(`${m[1]}.${m[2]}.${m[3]}.${m[4]}`);
  const size = 2 ** (32 - bits);
  return { base: ip - (ip % size), size, text };
}

export function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
}

export function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

/** The first usable address: upstream reserves it for the `kubernetes` Service. */
export function firstServiceIP(c: Cidr): string {
  return intToIp(c.base + 1);
}

export interface ServiceAllocatorOptions {
  store: StorageInterface;
  serviceCidr: Cidr;
  nodePortRange: { min: number; max: number };
}

const isNodePortType = (t: string | undefined) => t === 'NodePort' || t === 'LoadBalancer';
const key = (svc: KubeObject) => `${svc.metadata.namespace ?? ''}/${svc.metadata.name ?? ''}`;

export class ServiceAllocator {
  constructor(private readonly opts: ServiceAllocatorOptions) {}

  private async claim(gr: typeof serviceIPsGR, name: string, owner: string): Promise<boolean> {
    try {
      await this.opts.store.create(gr, {
        apiVersion: 'v1',
        kind: 'Allocation',
        metadata: { name },
        owner,
      });
      return true;
    } catch (e) {
      if (hasReason(e, 'AlreadyExists')) return false;
      throw e;
    }
  }

  private async release(gr: typeof serviceIPsGR, name: string): Promise<void> {
    try {
      await this.opts.store.delete(gr, '', name);
    } catch (e) {
      if (!hasReason(e, 'NotFound')) throw e;
    }
  }

  private inRange(ip: string): boolean {
    const n = ipToInt(ip);
    const c = this.opts.serviceCidr;
    return n > c.base && n < c.base + c.size - 1;
  }

  /** Allocates the requested IP, or a random free one; returns undefined for headless/ExternalName. */
  private async allocateIP(svc: ServiceLike, errs: FieldError[]): Promise<string | undefined> {
    const spec = svc.spec ?? {};
    if (spec.type === 'ExternalName' || spec.clusterIP === 'None') return undefined;
    const owner = key(svc);
    const c = this.opts.serviceCidr;
    if (spec.clusterIP) {
      const ip = spec.clusterIP;
      if (!this.inRange(ip))
        errs.push(
          invalidValue(
            'spec.clusterIPs',
            [ip],
            `failed to allocate IP ${ip}: the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${c.text}`,
          ),
        );
      else if (!(await this.claim(serviceIPsGR, ip, owner)))
        errs.push(
          invalidValue(
            'spec.clusterIPs',
            [ip],
            `failed to allocate IP ${ip}: provided IP is already allocated`,
          ),
        );
      return ip;
    }
    for (let i = 0; i < 64; i++) {
      const ip = intToIp(c.base + 2 + randomInt(Math.max(c.size - 3, 1)));
      if (await this.claim(serviceIPsGR, ip, owner)) return ip;
    }
    throw internalError('failed to allocate a serviceIP: range is full');
  }

  private async allocateNodePorts(
    svc: ServiceLike,
    old: ServiceLike | undefined,
    errs: FieldError[],
  ): Promise<number[]> {
    const claimed: number[] = [];
    const spec = svc.spec ?? {};
    if (!isNodePortType(spec.type)) return claimed;
    const held = new Set(
      (old && isNodePortType(old.spec?.type) ? (old.spec?.ports ?? []) : []).map((p) => p.nodePort),
    );
    const { min, max } = this.opts.nodePortRange;
    const owner = key(svc);
    const ports = spec.ports ?? [];
    for (let i = 0; i < ports.length; i++) {
      const p = ports[i] as ServicePort;
      if (p.nodePort !== undefined && held.has(p.nodePort)) continue;
      if (p.nodePort !== undefined) {
        if (p.nodePort < min || p.nodePort > max)
          errs.push(
            invalidValue(
              `spec.ports[${i}].nodePort`,
              p.nodePort,
              `provided port is not in the valid range. The range of valid ports is ${min}-${max}`,
            ),
          );
        else if (claimed.includes(p.nodePort))
          continue; // the same port for TCP and UDP of one Service
        else if (await this.claim(nodePortsGR, String(p.nodePort), owner)) claimed.push(p.nodePort);
        else
          errs.push(
            invalidValue(
              `spec.ports[${i}].nodePort`,
              p.nodePort,
              'provided port is already allocated',
            ),
          );
        continue;
      }
      let got: number | undefined;
      for (let t = 0; t < 64 && got === undefined; t++) {
        const candidate = min + randomInt(max - min + 1);
        if (await this.claim(nodePortsGR, String(candidate), owner)) got = candidate;
      }
      if (got === undefined) throw internalError('failed to allocate a nodePort: range is full');
      p.nodePort = got;
      claimed.push(got);
    }
    // LoadBalancers with externalTrafficPolicy Local get a health-check port from the same range.
    if (
      spec.type === 'LoadBalancer' &&
      spec.externalTrafficPolicy === 'Local' &&
      !spec.healthCheckNodePort
    ) {
      for (let t = 0; t < 64 && !spec.healthCheckNodePort; t++) {
        const candidate = min + randomInt(max - min + 1);
        if (await this.claim(nodePortsGR, String(candidate), owner)) {
          spec.healthCheckNodePort = candidate;
          claimed.push(candidate);
        }
      }
    }
    return claimed;
  }

  async allocate(svc: ServiceLike, old: ServiceLike | undefined, dryRun: boolean): Promise<void> {
    const errs: FieldError[] = [];
    const spec = (svc.spec ??= {});
    let ip: string | undefined;
    const ports: number[] = [];
    try {
      if (!old || !old.spec?.clusterIP || old.spec.clusterIP === 'None') {
        ip = await this.allocateIP(svc, errs);
      }
      ports.push(...(await this.allocateNodePorts(svc, old, errs)));
      if (errs.length) throw invalid({ group: '', kind: 'Service' }, svc.metadata.name ?? '', errs);
    } catch (e) {
      await this.undo(
        ip && !errs.some((x) => x.field === 'spec.clusterIPs') ? ip : undefined,
        ports,
      );
      throw e;
    }
    if (ip !== undefined) {
      spec.clusterIP = ip;
      spec.clusterIPs = [ip];
    } else if (spec.clusterIP === 'None') {
      spec.clusterIPs = ['None'];
    }
    if (spec.type !== 'ExternalName') {
      spec.ipFamilies ??= ['IPv4'];
      spec.ipFamilyPolicy ??= 'SingleStack';
    }
    if (!isNodePortType(spec.type)) for (const p of spec.ports ?? []) delete p.nodePort;
    if (dryRun) await this.undo(ip, ports);
  }

  private async undo(ip: string | undefined, ports: number[]): Promise<void> {
    if (ip) await this.release(serviceIPsGR, ip);
    for (const p of ports) await this.release(nodePortsGR, String(p));
  }

  /** Frees what `svc` holds and `keep` (its successor) no longer does. */
  async releaseUnused(svc: ServiceLike, keep?: ServiceLike): Promise<void> {
    const ip = svc.spec?.clusterIP;
    if (ip && ip !== 'None' && ip !== keep?.spec?.clusterIP) await this.release(serviceIPsGR, ip);
    const kept = new Set([
      ...(keep?.spec?.ports ?? []).map((p) => p.nodePort),
      keep?.spec?.healthCheckNodePort,
    ]);
    const held = [...(svc.spec?.ports ?? []).map((p) => p.nodePort), svc.spec?.healthCheckNodePort];
    for (const port of held)
      if (port !== undefined && !kept.has(port)) await this.release(nodePortsGR, String(port));
  }
}

export function serviceHooks(alloc: ServiceAllocator): KindHooks {
  return {
    beforeCreate: (obj, dryRun) => alloc.allocate(obj as ServiceLike, undefined, dryRun),
    createFailed: (obj) => alloc.releaseUnused(obj as ServiceLike),
    beforeUpdate: (obj, old, dryRun) =>
      alloc.allocate(obj as ServiceLike, old as ServiceLike, dryRun),
    afterUpdate: (obj, old) => alloc.releaseUnused(old as ServiceLike, obj as ServiceLike),
    updateFailed: (obj, old) => alloc.releaseUnused(obj as ServiceLike, old as ServiceLike),
    afterDelete: (obj) => alloc.releaseUnused(obj as ServiceLike),
  };
}
