import { applyDefaults, decode, validateCreate } from '../../decode';
import type { Status } from '../../meta/status';
import { isStatusError } from '../../meta/status';
import type { Endpoints } from './endpoints';
import { endpointsKind } from './endpoints';

function create(raw: Record<string, unknown>): Endpoints {
  const { object } = decode(endpointsKind, raw);
  object.metadata.namespace ??= 'default';
  applyDefaults(endpointsKind, object);
  endpointsKind.prepareForCreate?.(object);
  validateCreate(endpointsKind, object);
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

describe('Endpoints', () => {
  it('is registered as kubectl shows it', () => {
    expect(endpointsKind).toMatchObject({
      group: '',
      version: 'v1',
      kind: 'Endpoints',
      resource: 'endpoints',
      singular: 'endpoints',
      namespaced: true,
      shortNames: ['ep'],
    });
  });

  it('round-trips what the endpoints controller writes (pod IPs are loopback in kubeling)', () => {
    const raw = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'hello', namespace: 'default', labels: { app: 'hello' } },
      subsets: [
        {
          addresses: [
            {
              ip: '127.244.1.5',
              nodeName: 'node-1',
              targetRef: { kind: 'Pod', namespace: 'default', name: 'hello-abc', uid: 'u1' },
            },
          ],
          notReadyAddresses: [{ ip: '127.244.2.7', nodeName: 'node-2' }],
          ports: [{ name: 'http', port: 80 }],
        },
      ],
    };
    const ep = create(structuredClone(raw));
    expect(ep.subsets?.[0]?.ports).toEqual([{ name: 'http', port: 80, protocol: 'TCP' }]);
    expect(ep.subsets?.[0]?.addresses).toEqual(raw.subsets[0]?.addresses);
  });

  it('every subset needs an address', () => {
    expect(
      failure(() => create({ metadata: { name: 'e' }, subsets: [{ ports: [{ port: 80 }] }] }))
        .message,
    ).toBe(
      'Endpoints "e" is invalid: subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`',
    );
  });

  it("checks addresses and ports with upstream's messages", () => {
    const st = failure(() =>
      create({
        metadata: { name: 'e' },
        subsets: [
          {
            addresses: [{ ip: '10.0.0.256' }, { ip: '169.254.169.254' }],
            ports: [{ port: 80 }, { name: 'b', port: 0, protocol: 'HTTP' }],
          },
        ],
      }),
    );
    expect(st.message).toBe(
      'Endpoints "e" is invalid: [subsets[0].addresses[0].ip: Invalid value: "10.0.0.256": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff), subsets[0].addresses[0].ip: Invalid value: "10.0.0.256": must be a valid IP address, subsets[0].addresses[1].ip: Invalid value: "169.254.169.254": may not be in the link-local range (169.254.0.0/16, fe80::/10), subsets[0].ports[0].name: Required value, subsets[0].ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive, subsets[0].ports[1].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"]',
    );
  });
});
