import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  applyDefaults,
  decode,
  dropNulls,
  isStatusError,
  scheme,
  validateCreate,
} from '@kubeling/api';
import { protoType } from './kinds';
import type { ExpectedKind } from './unknown';
import { decodeProtobufObject, encodeProtobufObject, protobufMagic } from './unknown';

/**
 * testdata/create-*.hex are request bodies the real kubectl v1.32 sent for `kubectl create ...`
 * (captured by a throwaway HTTP server); create-*.json is what the same command prints with
 * `--dry-run=client -o json`, i.e. the object kubectl encoded. See testdata/README.md.
 */
const testdata = path.join(__dirname, 'testdata');

function fixture(name: string): Buffer {
  return Buffer.from(fs.readFileSync(path.join(testdata, `${name}.hex`), 'utf8').trim(), 'hex');
}

function printed(name: string): Record<string, unknown> {
  return dropNulls(JSON.parse(fs.readFileSync(path.join(testdata, `${name}.json`), 'utf8')));
}

function envelope(typeMeta: { apiVersion?: string; kind?: string }, raw?: Uint8Array): Buffer {
  const t = protoType('runtime.Unknown');
  const body = t.encode(t.fromObject(raw ? { typeMeta, raw } : { typeMeta })).finish();
  return Buffer.concat([protobufMagic, body]);
}

/** The 400 Status message a call fails with. */
function failure(data: Uint8Array, expected?: ExpectedKind): string {
  try {
    decodeProtobufObject(data, expected);
  } catch (e) {
    if (!isStatusError(e)) throw e;
    expect(e.code).toBe(400);
    expect(e.reason).toBe('BadRequest');
    return e.message;
  }
  throw new Error('decoded without an error');
}

const configMapKind: ExpectedKind = { group: '', version: 'v1', kind: 'ConfigMap' };
const podKind: ExpectedKind = { group: '', version: 'v1', kind: 'Pod' };

describe('bodies captured from kubectl v1.32', () => {
  const served = [
    'create-namespace',
    'create-deployment',
    'create-service-clusterip',
    'create-service-nodeport',
    'create-service-loadbalancer',
    'create-service-externalname',
    'create-configmap',
    'create-secret-generic',
    'create-secret-docker-registry',
    'create-quota',
    'create-serviceaccount',
  ];

  it.each(served)('%s decodes to the object kubectl printed for it', (name) => {
    const obj = decodeProtobufObject(fixture(name));
    expect(obj).toEqual(printed(name));
    // ... and that object goes through the api's own decoding, defaulting and validation.
    const info = scheme.byKind(String(obj.apiVersion), String(obj.kind))!;
    const { object } = decode(info, obj, 'Strict');
    if (info.namespaced) object.metadata.namespace = 'default';
    applyDefaults(info, object);
    expect(() => validateCreate(info, object)).not.toThrow();
  });

  it('the configmap body is the envelope, byte for byte', () => {
    // Written out by hand from the field numbers, including the zero fields gogo always writes.
    const field = (n: number, bytes: number[]) => [(n << 3) | 2, bytes.length, ...bytes];
    const str = (n: number, s: string) => field(n, [...Buffer.from(s)]);
    const objectMeta = [
      ...str(1, 'c'),
      ...str(2, ''), // generateName
      ...str(3, ''), // namespace
      ...str(4, ''), // selfLink
      ...str(5, ''), // uid
      ...str(6, ''), // resourceVersion
      0x38,
      0x00, // generation = 0 (field 7, varint)
      ...field(8, []), // creationTimestamp: the zero Time is an empty message
    ];
    const configMap = [...field(1, objectMeta), ...field(2, [...str(1, 'a'), ...str(2, 'b')])];
    const unknown = [
      ...field(1, [...str(1, 'v1'), ...str(2, 'ConfigMap')]),
      ...field(2, configMap),
      ...str(3, ''), // contentEncoding
      ...str(4, ''), // contentType
    ];
    expect(fixture('create-configmap').toString('hex')).toBe(
      Buffer.from([0x6b, 0x38, 0x73, 0x00, ...unknown]).toString('hex'),
    );
  });

  it('a kind kubeling has no message for comes back as its TypeMeta for the router to refuse', () => {
    const binding = envelope({ apiVersion: 'v1', kind: 'Binding' }, new Uint8Array([0x0a, 0x00]));
    expect(decodeProtobufObject(binding)).toEqual({ apiVersion: 'v1', kind: 'Binding' });
    expect(failure(binding, configMapKind)).toBe(
      'Binding in version "v1" cannot be handled as a ConfigMap: no kind "Binding" is registered for version "v1" in scheme "k8s.io/kubernetes/pkg/api/legacyscheme/scheme.go:30"',
    );
  });

  it('our own encoding of the printed objects decodes to the same thing', () => {
    for (const name of served) {
      const obj = printed(name) as { apiVersion: string; kind: string };
      expect(decodeProtobufObject(encodeProtobufObject(obj))).toEqual(obj);
    }
  });
});

describe('the envelope', () => {
  it('takes a missing kind or version from the endpoint, as copyKindDefaults does', () => {
    const cm = protoType('core.ConfigMap');
    const raw = cm.encode(cm.fromObject({ data: { a: 'b' } })).finish();
    expect(decodeProtobufObject(envelope({ apiVersion: 'v1' }, raw), configMapKind)).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {},
      data: { a: 'b' },
    });
    expect(decodeProtobufObject(envelope({ kind: 'ConfigMap' }, raw), configMapKind)).toMatchObject(
      { apiVersion: 'v1', kind: 'ConfigMap' },
    );
  });

  it('an empty raw is an object with every field at its zero value', () => {
    expect(decodeProtobufObject(envelope({ apiVersion: 'v1', kind: 'Namespace' }))).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {},
      spec: {},
      status: {},
    });
  });

  it('reads a body that is a slice of a larger buffer', () => {
    const body = fixture('create-configmap');
    const pooled = Buffer.concat([Buffer.from('garbage'), body]).subarray(7);
    expect(decodeProtobufObject(pooled)).toEqual(printed('create-configmap'));
  });
});

describe('malformed bodies are 400 BadRequest, never a crash', () => {
  it('empty, no magic, or magic alone', () => {
    expect(failure(Buffer.alloc(0))).toBe('empty data');
    expect(failure(Buffer.from('{"kind":"Pod"}'))).toBe(
      'provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]',
    );
    expect(failure(Buffer.from('{"kind":"Pod"}'), podKind)).toBe(
      'the object provided is unrecognized (must be of type Pod): provided data does not appear to be a protobuf message, expected prefix [107 56 115 0] ({"kind":"Pod"})',
    );
    expect(failure(Buffer.from(protobufMagic))).toBe('empty body');
    expect(failure(Buffer.from([0x6b, 0x38]), podKind)).toBe(
      'the object provided is unrecognized (must be of type Pod): provided data does not appear to be a protobuf message, expected prefix [107 56 115 0] (6b38)',
    );
  });

  it('a truncated envelope or typed message', () => {
    const body = fixture('create-deployment');
    expect(failure(body.subarray(0, 30))).toBe('unexpected EOF');
    const truncatedRaw = envelope(
      { apiVersion: 'v1', kind: 'Pod' },
      Uint8Array.from([0x0a, 0x05, 0x01]),
    );
    expect(failure(truncatedRaw, podKind)).toBe(
      'Pod in version "v1" cannot be handled as a Pod: unexpected EOF',
    );
  });

  it('an impossible wire type', () => {
    expect(failure(Buffer.from([...protobufMagic, 0x0f, 0x00]))).toMatch(
      /^proto: wrong wireType = 7 for field TypeMeta$/,
    );
  });

  it('a known field with the wrong wire type, or field number 0, inside the typed message', () => {
    const metadataAsVarint = envelope(
      { apiVersion: 'v1', kind: 'Pod' },
      Uint8Array.from([0x08, 0x01]),
    );
    expect(failure(metadataAsVarint, podKind)).toBe(
      'Pod in version "v1" cannot be handled as a Pod: proto: wrong wireType = 0 for field ObjectMeta',
    );
    // metadata { labels { key: 7 } }: a map key must be length-delimited.
    const badMapKey = envelope(
      { apiVersion: 'v1', kind: 'Pod' },
      Uint8Array.from([0x0a, 0x04, 0x5a, 0x02, 0x08, 0x07]),
    );
    expect(failure(badMapKey)).toBe('proto: wrong wireType = 0 for field Labels');
    const tagZero = envelope({ apiVersion: 'v1', kind: 'Pod' }, Uint8Array.from([0x00, 0x00]));
    expect(failure(tagZero)).toBe('proto: Pod: illegal tag 0 (wire type 0)');
  });

  it('a TypeMeta without kind or version', () => {
    expect(failure(envelope({ apiVersion: 'v1' }))).toBe(
      `Object 'Kind' is missing in 'runtime.TypeMeta{APIVersion:"v1", Kind:""}'`,
    );
    expect(failure(envelope({ kind: 'Pod' }))).toBe(
      `Object 'apiVersion' is missing in 'runtime.TypeMeta{APIVersion:"", Kind:"Pod"}'`,
    );
    expect(failure(envelope({ apiVersion: 'v1' }), undefined)).toMatch(/^Object 'Kind' is missing/);
  });

  it('a group-version kubeling does not serve', () => {
    expect(
      failure(envelope({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role' }), podKind),
    ).toBe(
      'Role in version "v1" cannot be handled as a Pod: no version "rbac.authorization.k8s.io/v1" has been registered in scheme "k8s.io/kubernetes/pkg/api/legacyscheme/scheme.go:30"',
    );
  });

  it('values Go could not turn into JSON', () => {
    const meta = protoType('meta.ObjectMeta');
    const ns = protoType('core.Namespace');
    const raw = ns
      .encode(
        ns.fromObject({
          metadata: meta.toObject(
            meta.fromObject({ name: 'x', creationTimestamp: { seconds: 1e12 } }),
          ),
        }),
      )
      .finish();
    expect(
      failure(envelope({ apiVersion: 'v1', kind: 'Namespace' }, raw), {
        group: '',
        version: 'v1',
        kind: 'Namespace',
      }),
    ).toBe(
      'Namespace in version "v1" cannot be handled as a Namespace: Time.MarshalJSON: year outside of range [0,9999]',
    );
  });

  it('survives thousands of mutated kubectl bodies', () => {
    // A fixed-seed generator, so that a failure reproduces.
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const bodies = [
      'create-deployment',
      'create-service-nodeport',
      'create-quota',
      'create-secret-generic',
    ].map(fixture);
    let decoded = 0;
    for (let i = 0; i < 4000; i++) {
      const body = Buffer.from(bodies[i % bodies.length]!);
      const flips = 1 + rand(4);
      for (let j = 0; j < flips; j++) body[4 + rand(body.length - 4)] = rand(256);
      const cut = rand(3) === 0 ? body.subarray(0, 4 + rand(body.length - 4)) : body;
      try {
        decodeProtobufObject(cut, rand(2) ? podKind : undefined);
        decoded++;
      } catch (e) {
        expect(isStatusError(e) && e.code === 400 ? 400 : e).toBe(400);
      }
    }
    // Most single-byte changes still parse (they hit string contents); some must not.
    expect(decoded).toBeGreaterThan(0);
    expect(decoded).toBeLessThan(4000);
  });
});
