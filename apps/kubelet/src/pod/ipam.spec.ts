import { PodIPAllocator } from './ipam';

describe('PodIPAllocator', () => {
  it('hands out .2 to .254 of a /24, round-robin, honouring reservations', () => {
    const a = new PodIPAllocator('127.244.5.0/24');
    a.reserve('127.244.5.3');
    expect(a.allocate()).toBe('127.244.5.2');
    expect(a.allocate()).toBe('127.244.5.4');
    a.release('127.244.5.2');
    // Not reused at once.
    expect(a.allocate()).toBe('127.244.5.5');
    const all = new Set<string>();
    const b = new PodIPAllocator('127.244.6.0/24');
    for (let i = 0; i < 253; i++) all.add(b.allocate());
    expect(all.size).toBe(253);
    expect(all.has('127.244.6.1') || all.has('127.244.6.255')).toBe(false);
    expect(() => b.allocate()).toThrow('no free pod IP in the node podCIDR');
  });

  it('refuses a malformed CIDR', () => {
    expect(() => new PodIPAllocator('127.244.0.0')).not.toThrow();
    expect(() => new PodIPAllocator('nope/24')).toThrow('invalid pod CIDR "nope/24"');
  });
});
