import { applyDefaults, decode, validateCreate, validateUpdate } from '../../decode';
import type { Status } from '../../meta/status';
import { isStatusError } from '../../meta/status';
import type { EndpointSlice } from './endpointSlice';
import { endpointSliceKind, labelServiceName } from './endpointSlice';

function create(raw: Record<string, unknown>): EndpointSlice {
  const { object } = decode(endpointSliceKind, raw);
  object.metadata.namespace ??= 'default';
  applyDefaults(endpointSliceKind, object);
  endpointSliceKind.prepareForCreate?.(object);
  validateCreate(endpointSliceKind, object);
  return object;
}

function update(raw: Record<string, unknown>, old: EndpointSlice): EndpointSlice {
  const { object } = decode(endpointSliceKind, raw);
  object.metadata.namespace ??= 'default';
  applyDefaults(endpointSliceKind, object);
  endpointSliceKind.prepareForUpdate?.(object, old);
  validateUpdate(endpointSliceKind, object, old);
  return object;
}

function failure(fn: () => unknown): Status {
  try {
    fn();
  } catch (e) {
    if (isStatusError(e)) return e.status;
    throw e;
  }
  throw new Error('expected a StatusError');
}

const slice = {
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name: 'hello-x7k2p', labels: { [labelServiceName]: 'hello' } },
  addressType: 'IPv4',
  endpoints: [
    {
      addresses: ['127.244.1.5'],
      conditions: { ready: true, serving: true, terminating: false },
      targetRef: { kind: 'Pod', namespace: 'default', name: 'hello-abc', uid: 'u1' },
      nodeName: 'node-1',
      zone: 'zone-a',
    },
  ],
  ports: [{ name: 'http', port: 80 }],
};

describe('EndpointSlice', () => {
  it('is registered as kubectl shows it', () => {
    expect(endpointSliceKind).toMatchObject({
      group: 'discovery.k8s.io',
      version: 'v1',
      kind: 'EndpointSlice',
      resource: 'endpointslices',
      singular: 'endpointslice',
      namespaced: true,
      shortNames: [],
    });
  });

  it('round-trips a slice, defaulting port protocol, starting at generation 1', () => {
    const eps = create(structuredClone(slice));
    expect(eps.ports).toEqual([{ name: 'http', protocol: 'TCP', port: 80 }]);
    expect(eps.endpoints).toEqual(slice.endpoints);
    expect(eps.metadata.generation).toBe(1);
    const unnamed = create({ ...structuredClone(slice), ports: [{ port: 53, protocol: 'UDP' }] });
    expect(unnamed.ports).toEqual([{ name: '', protocol: 'UDP', port: 53 }]);
  });

  it('addressType is required, known and immutable', () => {
    expect(
      failure(() => create({ ...structuredClone(slice), addressType: undefined })).message,
    ).toBe('EndpointSlice.discovery.k8s.io "hello-x7k2p" is invalid: addressType: Required value');
    expect(failure(() => create({ ...structuredClone(slice), addressType: 'IP' })).message).toBe(
      'EndpointSlice.discovery.k8s.io "hello-x7k2p" is invalid: addressType: Unsupported value: "IP": supported values: "FQDN", "IPv4", "IPv6"',
    );
    const old = create(structuredClone(slice));
    expect(
      failure(() => update({ ...structuredClone(slice), addressType: 'IPv6', endpoints: [] }, old))
        .message,
    ).toBe(
      'EndpointSlice.discovery.k8s.io "hello-x7k2p" is invalid: addressType: Invalid value: "IPv6": field is immutable',
    );
  });

  it('addresses must suit the type', () => {
    const bad = (addressType: string, addresses: string[]) =>
      failure(() => create({ ...structuredClone(slice), addressType, endpoints: [{ addresses }] }))
        .message;
    expect(bad('IPv4', ['fd00::1'])).toBe(
      'EndpointSlice.discovery.k8s.io "hello-x7k2p" is invalid: endpoints[0].addresses[0]: Invalid value: "fd00::1": must be a valid IPv4 address',
    );
    expect(bad('IPv6', ['10.0.0.1'])).toBe(
      'EndpointSlice.discovery.k8s.io "hello-x7k2p" is invalid: endpoints[0].addresses[0]: Invalid value: "10.0.0.1": must be a valid IPv6 address',
    );
    expect(bad('FQDN', ['localhost'])).toBe(
      'EndpointSlice.discovery.k8s.io "hello-x7k2p" is invalid: endpoints[0].addresses[0]: Invalid value: "localhost": should be a domain with at least two segments separated by dots',
    );
    expect(bad('IPv4', [])).toBe(
      'EndpointSlice.discovery.k8s.io "hello-x7k2p" is invalid: endpoints[0].addresses: Required value: must contain at least 1 address',
    );
  });

  it('limits endpoints to 1000 and addresses to 100', () => {
    const many = Array.from({ length: 1001 }, (_, i) => ({
      addresses: [`127.244.${Math.floor(i / 250)}.${(i % 250) + 1}`],
    }));
    expect(failure(() => create({ ...structuredClone(slice), endpoints: many })).message).toBe(
      'EndpointSlice.discovery.k8s.io "hello-x7k2p" is invalid: endpoints: Too many: 1001: must have at most 1000 items',
    );
    const addrs = Array.from({ length: 101 }, (_, i) => `127.244.0.${i + 1}`);
    expect(
      failure(() => create({ ...structuredClone(slice), endpoints: [{ addresses: addrs }] }))
        .message,
    ).toBe(
      'EndpointSlice.discovery.k8s.io "hello-x7k2p" is invalid: endpoints[0].addresses: Too many: 101: must have at most 100 items',
    );
    expect(() =>
      create({ ...structuredClone(slice), endpoints: many.slice(0, 1000) }),
    ).not.toThrow();
  });

  it('port names are unique', () => {
    expect(
      failure(() =>
        create({
          ...structuredClone(slice),
          ports: [
            { name: 'a', port: 1 },
            { name: 'a', port: 2 },
          ],
        }),
      ).message,
    ).toBe(
      'EndpointSlice.discovery.k8s.io "hello-x7k2p" is invalid: ports[1].name: Duplicate value: "a"',
    );
  });

  it('bumps generation only when something but metadata (or labels) changed', () => {
    const old = create(structuredClone(slice));
    const same = update(
      { ...structuredClone(slice), metadata: { ...slice.metadata, annotations: { a: 'b' } } },
      old,
    );
    expect(same.metadata.generation).toBe(1);
    const changed = update({ ...structuredClone(slice), endpoints: [] }, old);
    expect(changed.metadata.generation).toBe(2);
  });
});
