/**
 * IP and CIDR checks shared by Services, Endpoints, EndpointSlices and Nodes, with the messages of
 * apimachinery's `util/validation/ip.go` (v1.32, the "sloppy" parser that still accepts IPv4
 * octets with leading zeros) and core validation's ValidateNonSpecialIP.
 *
 *   parseIP('10.0.0.1')            // 16 bytes, IPv4 mapped into ::ffff:0:0/96
 *   validateIP(path('spec', 'clusterIPs').index(0), '10.0.0.300')
 */
import { isIPv6 } from 'node:net';
import type { FieldError, FieldPath } from '../../meta/fieldErrors';
import { invalidValue } from '../../meta/fieldErrors';

/** The bytes of an IP as Go's net.IP holds them: always 16, IPv4 as ::ffff:a.b.c.d. */
export type IPBytes = Uint8Array;

const v4MappedPrefix = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

function parseIPv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    // netutils.ParseIPSloppy keeps the pre-Go-1.17 rule: decimal octets, leading zeros allowed.
    if (!/^[0-9]{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

function parseIPv6(text: string): number[] | undefined {
  // Go's net.ParseIP refuses zones (`fe80::1%eth0`); node's isIPv6 accepts them.
  if (text.includes('%') || !isIPv6(text)) return undefined;
  let s = text;
  let tail: number[] = [];
  const lastColon = s.lastIndexOf(':');
  const last = s.slice(lastColon + 1);
  if (last.includes('.')) {
    // An embedded IPv4 tail (`::ffff:10.0.0.1`) stands for the last two groups.
    const v4 = parseIPv4(last);
    if (!v4) return undefined;
    tail = v4;
    s = s.slice(0, lastColon + 1);
    if (!s.endsWith('::')) s = s.slice(0, -1);
  }
  const want = tail.length ? 6 : 8;
  const ellipsis = s.indexOf('::');
  let groups: string[];
  if (ellipsis >= 0) {
    const left = s.slice(0, ellipsis) ? s.slice(0, ellipsis).split(':') : [];
    const right = s.slice(ellipsis + 2) ? s.slice(ellipsis + 2).split(':') : [];
    const fill = want - left.length - right.length;
    if (fill < 0) return undefined;
    groups = [...left, ...Array<string>(fill).fill('0'), ...right];
  } else {
    groups = s ? s.split(':') : [];
  }
  if (groups.length !== want || groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  const out: number[] = [];
  for (const g of groups) {
    const n = parseInt(g, 16);
    out.push(n >> 8, n & 0xff);
  }
  return [...out, ...tail];
}

/** netutils.ParseIPSloppy: the 16 bytes of `text`, or undefined when it is not an IP. */
export function parseIP(text: string): IPBytes | undefined {
  if (text.includes(':')) {
    const b = parseIPv6(text);
    return b ? Uint8Array.from(b) : undefined;
  }
  const v4 = parseIPv4(text);
  return v4 ? Uint8Array.from([...v4MappedPrefix, ...v4]) : undefined;
}

/** net.IP.To4() != nil: IPv4, including IPv4-mapped IPv6 as Go counts it. */
export function isIPv4Bytes(ip: IPBytes): boolean {
  return v4MappedPrefix.every((b, i) => ip[i] === b);
}

export function isIPv4String(text: string): boolean {
  const ip = parseIP(text);
  return !!ip && isIPv4Bytes(ip);
}

export function isIPv6String(text: string): boolean {
  const ip = parseIP(text);
  return !!ip && !isIPv4Bytes(ip);
}

/** IsValidIP: any IPv4 or IPv6 address. */
export function validateIP(p: FieldPath, value: string): FieldError[] {
  return parseIP(value)
    ? []
    : [invalidValue(p, value, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')];
}

export function validateIPv4Address(p: FieldPath, value: string): FieldError[] {
  return isIPv4String(value) ? [] : [invalidValue(p, value, 'must be a valid IPv4 address')];
}

export function validateIPv6Address(p: FieldPath, value: string): FieldError[] {
  return isIPv6String(value) ? [] : [invalidValue(p, value, 'must be a valid IPv6 address')];
}

/** netutils.ParseCIDRSloppy: `ip/prefix` with a prefix length that fits the family. */
export function parseCIDR(text: string): { ip: IPBytes; bits: number } | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIP(text.slice(0, slash));
  const mask = text.slice(slash + 1);
  if (!ip || !/^[0-9]{1,3}$/.test(mask)) return undefined;
  const bits = Number(mask);
  if (bits > (isIPv4Bytes(ip) ? 32 : 128)) return undefined;
  return { ip, bits };
}

/** IsValidCIDR. */
export function validateCIDR(p: FieldPath, value: string): FieldError[] {
  return parseCIDR(value)
    ? []
    : [invalidValue(p, value, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)')];
}

/** netutils.IsDualStackIPStrings: exactly one address of each family among `ips`. */
export function isDualStackIPs(ips: readonly string[]): boolean {
  let v4 = 0;
  let v6 = 0;
  for (const s of ips) {
    if (isIPv4String(s)) v4++;
    else if (isIPv6String(s)) v6++;
  }
  return v4 > 0 && v6 > 0;
}

/** netutils.IsDualStackCIDRStrings. */
export function isDualStackCIDRs(cidrs: readonly string[]): boolean {
  let v4 = 0;
  let v6 = 0;
  for (const s of cidrs) {
    const c = parseCIDR(s);
    if (!c) continue;
    if (isIPv4Bytes(c.ip)) v4++;
    else v6++;
  }
  return v4 > 0 && v6 > 0;
}

/**
 * ValidateNonSpecialIP / ValidateEndpointIP, minus the loopback rule.
 *
 * Kubernetes refuses 127.0.0.0/8 and ::1 for external IPs and endpoints. kubeling deliberately
 * puts pod, node, service and load-balancer addresses inside 127.0.0.0/8 so that everything the
 * API shows is reachable on one host (see ARCHITECTURE.md, "Networking on one machine"), so the
 * loopback check would reject every endpoint the cluster itself produces. The other rules stay.
 */
export function validateNonSpecialIP(p: FieldPath, value: string): FieldError[] {
  const ip = parseIP(value);
  if (!ip) return [invalidValue(p, value, 'must be a valid IP address')];
  const errs: FieldError[] = [];
  const v4 = isIPv4Bytes(ip);
  const b = (i: number): number => ip[i] ?? 0;
  const unspecified = v4
    ? b(12) === 0 && b(13) === 0 && b(14) === 0 && b(15) === 0
    : ip.every((x) => x === 0);
  const linkLocalUnicast = v4
    ? b(12) === 169 && b(13) === 254
    : b(0) === 0xfe && (b(1) & 0xc0) === 0x80;
  const linkLocalMulticast = v4
    ? b(12) === 224 && b(13) === 0 && b(14) === 0
    : b(0) === 0xff && (b(1) & 0x0f) === 0x02;
  if (unspecified) errs.push(invalidValue(p, value, `may not be unspecified (${value})`));
  if (linkLocalUnicast)
    errs.push(
      invalidValue(p, value, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'),
    );
  if (linkLocalMulticast)
    errs.push(
      invalidValue(
        p,
        value,
        'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)',
      ),
    );
  return errs;
}
