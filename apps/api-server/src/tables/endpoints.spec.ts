import type { Endpoints, EndpointSlice } from '@kubeling/api';
import {
  endpointSliceColumns,
  endpointSlicePrinter,
  endpointsPrinter,
  formatEndpoints,
  formatSliceEndpoints,
  formatSlicePorts,
} from './endpoints';

const now = Date.parse('2024-05-01T10:00:00Z');
const meta = { name: 'web', namespace: 'default', creationTimestamp: '2024-05-01T09:00:00Z' };
const addr = (ip: string) => ({ ip });

describe('endpoints ENDPOINTS', () => {
  it('is <none> without subsets', () => {
    expect(formatEndpoints({ metadata: meta })).toBe('<none>');
    expect(formatEndpoints({ metadata: meta, subsets: [] })).toBe('<none>');
  });

  it('pairs every ready address with every port, three at most, then "+ N more..."', () => {
    const ep: Endpoints = {
      metadata: meta,
      subsets: [
        {
          addresses: [addr('10.0.0.1'), addr('10.0.0.2')],
          notReadyAddresses: [addr('10.0.0.9')],
          ports: [{ port: 80 }, { port: 443 }],
        },
        { addresses: [addr('fd00::1')], ports: [{ port: 80 }] },
      ],
    };
    expect(formatEndpoints(ep)).toBe('10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 2 more...');
    expect(
      formatEndpoints({
        metadata: meta,
        subsets: [{ addresses: [addr('fd00::1')], ports: [{ port: 80 }] }],
      }),
    ).toBe('[fd00::1]:80');
  });

  it('lists bare addresses of a headless service without ports', () => {
    expect(
      formatEndpoints({
        metadata: meta,
        subsets: [{ addresses: [addr('10.0.0.1'), addr('10.0.0.2')] }],
      }),
    ).toBe('10.0.0.1,10.0.0.2');
  });

  it('is a row NAME ENDPOINTS AGE', () => {
    const ep: Endpoints = {
      metadata: meta,
      subsets: [{ addresses: [addr('1.2.3.4')], ports: [{ port: 80 }] }],
    };
    expect(endpointsPrinter.print(ep, now).cells).toEqual(['web', '1.2.3.4:80', '60m']);
  });
});

describe('endpoint slices', () => {
  it('have NAME ADDRESSTYPE PORTS ENDPOINTS AGE', () => {
    expect(endpointSliceColumns.map((c) => c.name)).toEqual([
      'Name',
      'AddressType',
      'Ports',
      'Endpoints',
      'Age',
    ]);
  });

  it('print ports (number, else name, else *) and addresses, three at most', () => {
    expect(formatSlicePorts([{ port: 80 }, { name: 'metrics' }, {}, { port: 9090 }])).toBe(
      '80,metrics,* + 1 more...',
    );
    expect(formatSlicePorts(undefined)).toBe('<unset>');
    expect(
      formatSliceEndpoints([
        { addresses: ['10.0.0.1', '10.0.0.2'] },
        { addresses: ['10.0.0.3'] },
        { addresses: ['10.0.0.4'] },
      ]),
    ).toBe('10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...');
    expect(formatSliceEndpoints([])).toBe('<unset>');
    const slice: EndpointSlice = {
      metadata: { ...meta, name: 'web-abc12' },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.0.0.1'] }],
      ports: [{ port: 8080, protocol: 'TCP' }],
    };
    expect(endpointSlicePrinter.print(slice, now).cells).toEqual([
      'web-abc12',
      'IPv4',
      '8080',
      '10.0.0.1',
      '60m',
    ]);
  });
});
