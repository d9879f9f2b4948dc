/**
 * Pod IPs from the node's podCIDR (the host-local IPAM plugin's job). Every address of
 * 127.0.0.0/8 answers on Linux's loopback, so a pod IP is reachable from any process of the
 * machine without configuring anything. .0 is the network, .1 the gateway by convention, the
 * last the broadcast: pods get .2 to .254 of a /24 (more for wider CIDRs).
 */
export class PodIPAllocator {
  private readonly base: number;
  private readonly size: number;
  private readonly used = new Set<number>();
  private cursor = 2;

  constructor(cidr: string) {
    const [addr, bitsText] = cidr.split('/');
    const bits = Number(bitsText ?? '24');
    const parts = (addr ?? '').split('.').map(Number);
    if (
      parts.length !== 4 ||
      parts.some((p) => !(p >= 0 && p <= 255)) ||
      !(bits >= 8 && bits <= 30)
    )
      throw new Error(`invalid pod CIDR "${cidr}"`);
    const n = ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
    this.size = 2 ** (32 - bits);
    this.base = n - (n % this.size);
  }

  /** Marks an address as taken (an adopted pod's). */
  reserve(ip: string): void {
    const off = this.offsetOf(ip);
    if (off !== undefined) this.used.add(off);
  }

  /** The next free address, round-robin so a released one is not reused at once. */
  allocate(): string {
    for (let i = 0; i < this.size; i++) {
      const off = this.cursor;
      this.cursor = this.cursor + 1 >= this.size - 1 ? 2 : this.cursor + 1;
      if (!this.used.has(off)) {
        this.used.add(off);
        return this.ipOf(off);
      }
    }
    throw new Error('no free pod IP in the node podCIDR');
  }

  release(ip: string): void {
    const off = this.offsetOf(ip);
    if (off !== undefined) this.used.delete(off);
  }

  private ipOf(off: number): string {
    const n = this.base + off;
    return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
  }

  private offsetOf(ip: string): number | undefined {
    const p = ip.split('.').map(Number);
    if (p.length !== 4) return undefined;
    const n = ((p[0]! << 24) | (p[1]! << 16) | (p[2]! << 8) | p[3]!) >>> 0;
    const off = n - this.base;
    return off >= 2 && off < this.size - 1 ? off : undefined;
  }
}
