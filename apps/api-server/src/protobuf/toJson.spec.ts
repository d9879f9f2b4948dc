import { protoType } from './kinds';
import { goDuration, messageToJson } from './toJson';
import { jsonToMessage, parseGoDuration } from './fromJson';

/** Encodes a plain protobufjs object as `name`, decodes it back, and converts it to JSON. */
function viaWire(name: string, plain: Record<string, unknown>): unknown {
  const t = protoType(name);
  const bytes = t.encode(t.fromObject(plain)).finish();
  return messageToJson(name, t.decode(bytes) as unknown as Record<string, unknown>);
}

/** JSON → wire → JSON. */
function roundTrip(name: string, json: unknown): unknown {
  return viaWire(name, jsonToMessage(name, json) as Record<string, unknown>);
}

describe('metav1.Time and MicroTime', () => {
  it('write RFC 3339 in UTC, seconds for Time and microseconds for MicroTime', () => {
    expect(viaWire('meta.Time', { seconds: 1714557600, nanos: 123456789 })).toBe(
      '2024-05-01T10:00:00Z',
    );
    expect(viaWire('meta.MicroTime', { seconds: 1714557600, nanos: 123456789 })).toBe(
      '2024-05-01T10:00:00.123456Z',
    );
    expect(viaWire('meta.MicroTime', { seconds: 1714557600 })).toBe('2024-05-01T10:00:00.000000Z');
  });

  it('treat an empty message as the zero time (absent) but seconds=0 as the epoch', () => {
    expect(viaWire('meta.Time', {})).toBeUndefined();
    expect(viaWire('meta.Time', { seconds: 0 })).toBe('1970-01-01T00:00:00Z');
    expect(viaWire('meta.Time', { seconds: -1 })).toBe('1969-12-31T23:59:59Z');
  });

  it('refuse years Go cannot print', () => {
    expect(() => viaWire('meta.Time', { seconds: 253402300800 })).toThrow(
      'Time.MarshalJSON: year outside of range [0,9999]',
    );
  });

  it('round-trip through the JSON form, keeping microseconds', () => {
    expect(roundTrip('meta.Time', '2024-05-01T10:00:00Z')).toBe('2024-05-01T10:00:00Z');
    expect(roundTrip('meta.MicroTime', '2024-05-01T10:00:00.000042Z')).toBe(
      '2024-05-01T10:00:00.000042Z',
    );
  });
});

describe('metav1.Duration', () => {
  it("prints nanoseconds as Go's time.Duration.String does", () => {
    const cases: Array<[bigint, string]> = [
      [0n, '0s'],
      [1n, '1ns'],
      [1_500n, '1.5µs'],
      [1_500_000n, '1.5ms'],
      [1_000_000_000n, '1s'],
      [90_000_000_000n, '1m30s'],
      [3_600_000_000_000n, '1h0m0s'],
      [3_723_500_000_000n, '1h2m3.5s'],
      [-2_000_000_000n, '-2s'],
    ];
    for (const [ns, text] of cases) {
      expect(goDuration(ns)).toBe(text);
      expect(parseGoDuration(text)).toBe(ns);
    }
    expect(viaWire('meta.Duration', { duration: 90_000_000_000 })).toBe('1m30s');
  });
});

describe('IntOrString and Quantity', () => {
  it('IntOrString is a number for type 0 and a string for type 1', () => {
    expect(viaWire('intstr.IntOrString', { type: 0, intVal: 8080 })).toBe(8080);
    expect(viaWire('intstr.IntOrString', { type: 1, strVal: '25%' })).toBe('25%');
    // gogo writes every value field, so a zero int arrives as {type 0, intVal 0, strVal ""}.
    expect(viaWire('intstr.IntOrString', { type: 0, intVal: 0, strVal: '' })).toBe(0);
    expect(viaWire('intstr.IntOrString', {})).toBe(0);
    expect(() => viaWire('intstr.IntOrString', { type: 7 })).toThrow('impossible IntOrString.Type');
    expect(roundTrip('intstr.IntOrString', 'http')).toBe('http');
  });

  it('Quantity is its string; an empty message is the zero quantity', () => {
    expect(viaWire('resource.Quantity', { string: '500m' })).toBe('500m');
    expect(viaWire('resource.Quantity', {})).toBe('0');
    expect(roundTrip('resource.Quantity', 2)).toBe('2');
  });
});

describe('field presence follows the Go types', () => {
  it('drops zero values of omitempty fields, keeps zero pointers, writes zero required fields', () => {
    // ContainerPort: name/hostPort/protocol omitempty, containerPort `json:"containerPort"`.
    expect(
      viaWire('core.ContainerPort', { name: '', hostPort: 0, containerPort: 80, protocol: '' }),
    ).toEqual({ containerPort: 80 });
    expect(viaWire('core.ContainerPort', {})).toEqual({ containerPort: 0 });
    // DeploymentSpec.replicas is *int32: an explicit 0 is a value.
    expect(viaWire('apps.DeploymentSpec', { replicas: 0 })).toEqual({
      replicas: 0,
      template: { metadata: {}, spec: {} },
      strategy: {},
    });
  });

  it('writes value structs always and pointer structs only when sent', () => {
    // Container.resources is a value struct, livenessProbe a pointer.
    expect(viaWire('core.Container', { name: 'c', image: 'i' })).toEqual({
      name: 'c',
      image: 'i',
      resources: {},
    });
    expect(viaWire('core.Container', { name: 'c', livenessProbe: {} })).toEqual({
      name: 'c',
      resources: {},
      livenessProbe: {},
    });
  });

  it('flattens inline structs into their parent (Volume.volumeSource, Probe.handler)', () => {
    const json = {
      name: 'data',
      configMap: { name: 'cm', items: [{ key: 'a', path: 'b', mode: 0o644 }], optional: false },
    };
    expect(roundTrip('core.Volume', json)).toEqual(json);
    const probe = { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5 };
    expect(roundTrip('core.Probe', probe)).toEqual(probe);
  });

  it('drops empty lists and maps, as Go writes null for them', () => {
    expect(viaWire('meta.ObjectMeta', { name: 'x', labels: {}, finalizers: [] })).toEqual({
      name: 'x',
    });
  });
});

describe('bytes, maps and embedded JSON', () => {
  it('writes bytes as standard base64 (Secret.data) and keeps string maps', () => {
    const secret = {
      metadata: { name: 's' },
      data: { p: Buffer.from('q\u0000\xff').toString('base64'), empty: '' },
      stringData: { k: 'v' },
      type: 'Opaque',
    };
    expect(roundTrip('core.Secret', secret)).toEqual(secret);
  });

  it('maps of quantities keep their strings', () => {
    const rq = { hard: { cpu: '2', 'requests.memory': '1Gi', pods: '10' } };
    expect(roundTrip('core.ResourceQuotaSpec', rq)).toEqual(rq);
  });

  it('FieldsV1 is the raw JSON it carries; broken JSON is an error', () => {
    const entry = {
      manager: 'kubectl-create',
      operation: 'Update',
      apiVersion: 'v1',
      time: '2024-05-01T10:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:data': { '.': {}, 'f:a': {} } },
    };
    expect(roundTrip('meta.ManagedFieldsEntry', entry)).toEqual(entry);
    expect(() => viaWire('meta.FieldsV1', { Raw: Buffer.from('{nope') })).toThrow(/^FieldsV1: /);
  });

  it('int64 fields come back as numbers', () => {
    expect(
      viaWire('core.PodSecurityContext', { runAsUser: 1000, supplementalGroups: [1, 2] }),
    ).toEqual({ runAsUser: 1000, supplementalGroups: [1, 2] });
  });
});

describe('repeated scalars', () => {
  it('are written unpacked, as gogo writes proto2, and read packed or not', () => {
    const t = protoType('core.PodSecurityContext');
    expect(
      Buffer.from(t.encode(t.fromObject({ supplementalGroups: [1, 2] })).finish()).toString('hex'),
    ).toBe('20012002');
    const packed = t.decode(Uint8Array.from([0x22, 0x02, 0x01, 0x02]));
    expect(
      messageToJson('core.PodSecurityContext', packed as unknown as Record<string, unknown>),
    ).toEqual({
      supplementalGroups: [1, 2],
    });
  });
});
