/**
 * Endpoints (printEndpoints: `ip:port` pairs, at most three, then "+ N more...") and
 * discovery.k8s.io EndpointSlices (printEndpointSlice: ADDRESSTYPE PORTS ENDPOINTS, each list
 * cut at three the same way, "<unset>" when empty).
 */
import type { Endpoint, Endpoints, EndpointSlice, EndpointSlicePort } from '@kubeling/api';
import { since } from './duration';
import { ageColumn, column, nameColumn, printer } from './table';

/** Shown before "+ N more...". */
const maxShown = 3;

/** net.JoinHostPort: IPv6 hosts go in brackets. */
function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** formatEndpoints with every port: ready addresses only, as upstream prints them. */
export function formatEndpoints(ep: Endpoints): string {
  const subsets = ep.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addresses = ss.addresses ?? [];
    const ports = ss.ports ?? [];
    if (ports.length === 0) {
      // A headless service may have no ports: addresses alone.
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === maxShown) {
          more = true;
          break;
        }
        list.push(a.ip);
      }
      continue;
    }
    for (const p of ports) {
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === maxShown) {
          more = true;
          break;
        }
        list.push(joinHostPort(a.ip, p.port));
      }
    }
  }
  const text = list.join(',');
  return more ? `${text} + ${count - maxShown} more...` : text;
}

function listWithMore(list: string[], more: boolean, count: number): string {
  const text = list.join(',');
  if (more) return `${text} + ${count - maxShown} more...`;
  return text || '<unset>';
}

/** formatDiscoveryPorts: the port number, else its name, else "*" (all ports). */
export function formatSlicePorts(ports: EndpointSlicePort[] | undefined): string {
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const p of ports ?? []) {
    if (list.length < maxShown)
      list.push(p.port !== undefined ? String(p.port) : p.name !== undefined ? p.name : '*');
    else if (list.length === maxShown) more = true;
    count++;
  }
  return listWithMore(list, more, count);
}

/** formatDiscoveryEndpoints: every address of every endpoint, ready or not. */
export function formatSliceEndpoints(endpoints: Endpoint[] | undefined): string {
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const ep of endpoints ?? [])
    for (const a of ep.addresses ?? []) {
      if (list.length < maxShown) list.push(a);
      else if (list.length === maxShown) more = true;
      count++;
    }
  return listWithMore(list, more, count);
}

export const endpointsColumns = [
  nameColumn,
  column(
    'Endpoints',
    'string',
    'The set of all endpoints is the union of all subsets. Addresses are placed into subsets according to the IPs they share.',
  ),
  ageColumn,
];

export const endpointsPrinter = printer<Endpoints>(endpointsColumns, (ep, now) => [
  ep.metadata.name ?? '',
  formatEndpoints(ep),
  since(ep.metadata.creationTimestamp, now),
]);

export const endpointSliceColumns = [
  nameColumn,
  column(
    'AddressType',
    'string',
    'addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type.',
  ),
  column(
    'Ports',
    'string',
    'ports specifies the list of network ports exposed by each endpoint in this slice.',
  ),
  column('Endpoints', 'string', 'endpoints is a list of unique endpoints in this slice.'),
  ageColumn,
];

export const endpointSlicePrinter = printer<EndpointSlice>(endpointSliceColumns, (s, now) => [
  s.metadata.name ?? '',
  s.addressType ?? '',
  formatSlicePorts(s.ports),
  formatSliceEndpoints(s.endpoints),
  since(s.metadata.creationTimestamp, now),
]);
