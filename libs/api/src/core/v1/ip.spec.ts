import { formatFieldError, path } from '../../meta/fieldErrors';
import {
  isDualStackIPs,
  isIPv4String,
  isIPv6String,
  parseCIDR,
  parseIP,
  validateNonSpecialIP,
} from './ip';

describe('parseIP (ParseIPSloppy)', () => {
  it('accepts IPv4, IPv4 with leading zeros, and IPv6 forms', () => {
    expect(Array.from(parseIP('10.0.0.1') ?? [])).toEqual([
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 10, 0, 0, 1,
    ]);
    expect(parseIP('010.001.0.1')).toBeDefined();
    expect(Array.from(parseIP('fd00::1') ?? []).slice(0, 2)).toEqual([0xfd, 0x00]);
    expect(Array.from(parseIP('::ffff:1.2.3.4') ?? []).slice(12)).toEqual([1, 2, 3, 4]);
    expect(Array.from(parseIP('::') ?? [])).toEqual(new Array(16).fill(0));
    expect(Array.from(parseIP('1:2:3:4:5:6:7:8') ?? []).slice(14)).toEqual([0, 8]);
  });

  it('rejects malformed addresses and zones', () => {
    for (const bad of [
      '',
      '1.2.3',
      '1.2.3.256',
      '1.2.3.4.5',
      'fe80::1%eth0',
      '1::2::3',
      'abc',
      '10.0.0.1/24',
      ' 10.0.0.1',
    ])
      expect(parseIP(bad)).toBeUndefined();
  });

  it('tells the families apart (IPv4-mapped IPv6 counts as IPv4, as in Go)', () => {
    expect(isIPv4String('10.0.0.1')).toBe(true);
    expect(isIPv4String('::ffff:10.0.0.1')).toBe(true);
    expect(isIPv6String('fd00::1')).toBe(true);
    expect(isIPv6String('10.0.0.1')).toBe(false);
    expect(isDualStackIPs(['10.0.0.1', 'fd00::1'])).toBe(true);
    expect(isDualStackIPs(['10.0.0.1', '10.0.0.2'])).toBe(false);
  });
});

describe('parseCIDR', () => {
  it('checks the prefix length against the family', () => {
    expect(parseCIDR('10.0.0.0/8')?.bits).toBe(8);
    expect(parseCIDR('fd00::/64')?.bits).toBe(64);
    expect(parseCIDR('10.0.0.0/33')).toBeUndefined();
    expect(parseCIDR('fd00::/129')).toBeUndefined();
    expect(parseCIDR('10.0.0.0')).toBeUndefined();
  });
});

describe('validateNonSpecialIP', () => {
  const errs = (ip: string) => validateNonSpecialIP(path('ip'), ip).map(formatFieldError);
  it('refuses unspecified and link-local addresses', () => {
    expect(errs('0.0.0.0')).toEqual([
      'ip: Invalid value: "0.0.0.0": may not be unspecified (0.0.0.0)',
    ]);
    expect(errs('::')).toEqual(['ip: Invalid value: "::": may not be unspecified (::)']);
    expect(errs('fe80::1')).toEqual([
      'ip: Invalid value: "fe80::1": may not be in the link-local range (169.254.0.0/16, fe80::/10)',
    ]);
    expect(errs('224.0.0.251')).toEqual([
      'ip: Invalid value: "224.0.0.251": may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)',
    ]);
  });
  it('allows loopback, where kubeling puts its pod and service addresses', () => {
    expect(errs('127.244.0.5')).toEqual([]);
    expect(errs('10.1.2.3')).toEqual([]);
  });
});
