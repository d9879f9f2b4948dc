import { applyDefaults, decode, validateCreate, validateUpdate } from '../../decode';
import type { Status } from '../../meta/status';
import { isStatusError } from '../../meta/status';
import type { Secret } from './secret';
import { base64ErrorOffset, secretKind } from './secret';

function create(raw: Record<string, unknown>): Secret {
  const { object } = decode(secretKind, raw);
  object.metadata.namespace ??= 'default';
  applyDefaults(secretKind, object);
  secretKind.prepareForCreate?.(object);
  validateCreate(secretKind, object);
  return object;
}

function update(raw: Record<string, unknown>, old: Secret): Secret {
  const { object } = decode(secretKind, raw);
  object.metadata.namespace ??= 'default';
  applyDefaults(secretKind, object);
  secretKind.prepareForUpdate?.(object, old);
  validateUpdate(secretKind, object, old);
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

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('Secret', () => {
  it('is registered as kubectl shows it', () => {
    expect(secretKind).toMatchObject({
      group: '',
      version: 'v1',
      kind: 'Secret',
      resource: 'secrets',
      singular: 'secret',
      namespaced: true,
      shortNames: [],
      categories: [],
    });
  });

  it('defaults type Opaque and exposes it as a field label', () => {
    const s = create({ metadata: { name: 's' }, data: { user: b64('admin') } });
    expect(s.type).toBe('Opaque');
    expect(secretKind.fieldLabels?.(s)).toEqual({ type: 'Opaque' });
  });

  it('folds stringData into data (stringData wins) and never keeps it', () => {
    const s = create({
      metadata: { name: 's' },
      data: { user: b64('admin'), keep: b64('k') },
      stringData: { user: 'root', password: 'p@ss' },
    });
    expect(s.stringData).toBeUndefined();
    expect(s.data).toEqual({ user: b64('root'), keep: b64('k'), password: b64('p@ss') });
  });

  it('rejects data that is not base64 as a 400 decode error, like Go', () => {
    const st = failure(() => create({ metadata: { name: 's' }, data: { a: 'not base64!' } }));
    expect(st.code).toBe(400);
    expect(st.message).toBe(
      'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 3',
    );
  });

  it('checks keys like ConfigMap keys', () => {
    const st = failure(() => create({ metadata: { name: 's' }, stringData: { 'a/b': 'x' } }));
    expect(st.code).toBe(422);
    expect(st.message).toBe(
      `Secret "s" is invalid: data[a/b]: Invalid value: "a/b": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
    );
  });

  it('limits decoded data to 1 MiB', () => {
    const big = Buffer.alloc(1024 * 1024 + 1).toString('base64');
    expect(failure(() => create({ metadata: { name: 's' }, data: { big } })).message).toBe(
      'Secret "s" is invalid: data: Too long: must have at most 1048576 bytes',
    );
    const exact = Buffer.alloc(1024 * 1024).toString('base64');
    expect(() => create({ metadata: { name: 's' }, data: { exact } })).not.toThrow();
  });

  it('kubernetes.io/tls needs tls.crt and tls.key', () => {
    expect(
      failure(() => create({ metadata: { name: 's' }, type: 'kubernetes.io/tls', data: {} }))
        .message,
    ).toBe('Secret "s" is invalid: [data[tls.crt]: Required value, data[tls.key]: Required value]');
    expect(() =>
      create({
        metadata: { name: 's' },
        type: 'kubernetes.io/tls',
        stringData: { 'tls.crt': 'c', 'tls.key': 'k' },
      }),
    ).not.toThrow();
  });

  it('kubernetes.io/dockerconfigjson needs a JSON object under .dockerconfigjson', () => {
    const type = 'kubernetes.io/dockerconfigjson';
    expect(failure(() => create({ metadata: { name: 's' }, type })).message).toBe(
      'Secret "s" is invalid: data[.dockerconfigjson]: Required value',
    );
    expect(
      failure(() =>
        create({ metadata: { name: 's' }, type, stringData: { '.dockerconfigjson': '[]' } }),
      ).message,
    ).toBe(
      'Secret "s" is invalid: data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": json: cannot unmarshal array into Go value of type map[string]interface {}',
    );
    expect(() =>
      create({
        metadata: { name: 's' },
        type,
        stringData: { '.dockerconfigjson': '{"auths":{}}' },
      }),
    ).not.toThrow();
  });

  it('basic-auth needs username or password; ssh-auth needs a key', () => {
    expect(
      failure(() => create({ metadata: { name: 's' }, type: 'kubernetes.io/basic-auth' })).message,
    ).toBe(
      'Secret "s" is invalid: [data[username]: Required value, data[password]: Required value]',
    );
    expect(
      failure(() => create({ metadata: { name: 's' }, type: 'kubernetes.io/ssh-auth' })).message,
    ).toBe('Secret "s" is invalid: data[ssh-privatekey]: Required value');
  });

  it('type never changes; immutable secrets keep their data', () => {
    const old = create({ metadata: { name: 's', uid: 'u' }, data: { a: b64('1') } });
    expect(
      failure(() =>
        update(
          {
            metadata: { name: 's', uid: 'u' },
            data: { a: b64('1') },
            type: 'kubernetes.io/tls',
            stringData: { 'tls.crt': 'c', 'tls.key': 'k' },
          },
          old,
        ),
      ).message,
    ).toBe('Secret "s" is invalid: type: Invalid value: "kubernetes.io/tls": field is immutable');

    const frozen = create({
      metadata: { name: 's', uid: 'u' },
      immutable: true,
      data: { a: b64('1') },
    });
    expect(
      failure(() => update({ metadata: { name: 's', uid: 'u' }, data: { a: b64('2') } }, frozen))
        .message,
    ).toBe(
      'Secret "s" is invalid: [immutable: Forbidden: field is immutable when `immutable` is set, data: Forbidden: field is immutable when `immutable` is set]',
    );
    expect(() =>
      update(
        {
          metadata: { name: 's', uid: 'u', labels: { x: 'y' } },
          immutable: true,
          data: { a: b64('1') },
        },
        frozen,
      ),
    ).not.toThrow();
  });

  it('base64ErrorOffset follows Go (padding required, newlines skipped)', () => {
    expect(base64ErrorOffset('YWJj')).toBe(-1);
    expect(base64ErrorOffset('YW\nJj')).toBe(-1);
    expect(base64ErrorOffset('YQ==')).toBe(-1);
    expect(base64ErrorOffset('YQ')).toBe(0);
    expect(base64ErrorOffset('YQ=')).toBe(3);
    expect(base64ErrorOffset('YWJj!')).toBe(4);
    expect(base64ErrorOffset('YQ==YQ==')).toBe(4);
  });
});
