import { configMapKind } from './core/v1/configMap';
import { checkTypeMeta, decode, validateCreate } from './decode';
import { isStatusError } from './meta/status';

function statusOf(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    if (isStatusError(e)) return e.status;
    throw e;
  }
  throw new Error('expected a StatusError');
}

describe('decode', () => {
  it('decodes a valid ConfigMap and drops nulls', () => {
    const { object, warnings } = decode(configMapKind, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'a', namespace: 'default', labels: null },
      data: { k: 'v' },
    });
    expect(object.data).toEqual({ k: 'v' });
    expect(object.metadata).toEqual({ name: 'a', namespace: 'default' });
    expect(warnings).toEqual([]);
  });

  it('rejects unknown fields under Strict with the field path', () => {
    const st = statusOf(() =>
      decode(configMapKind, { metadata: { name: 'a' }, dta: {} }, 'Strict'),
    );
    expect(st.code).toBe(400);
    expect(st.message).toBe(
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "dta"',
    );
  });

  it('drops unknown fields with a warning under Warn', () => {
    const { object, warnings } = decode(configMapKind, { metadata: { name: 'a', foo: 1 } }, 'Warn');
    expect(object.metadata).toEqual({ name: 'a' });
    expect(warnings).toEqual(['unknown field "metadata.foo"']);
  });

  it('reports type mismatches as 400 decode errors', () => {
    const st = statusOf(() => decode(configMapKind, { metadata: { name: 'a', labels: { v: 1 } } }));
    expect(st.code).toBe(400);
    expect(st.message).toContain(
      'json: cannot unmarshal number into Go struct field metadata.labels.v of type string',
    );
  });

  it('validates names and keys as 422 with causes', () => {
    const { object } = decode(configMapKind, {
      metadata: { name: 'Bad_Name', namespace: 'default' },
      data: { 'a b': 'x' },
    });
    const st = statusOf(() => validateCreate(configMapKind, object));
    expect(st.code).toBe(422);
    expect(st.reason).toBe('Invalid');
    expect(st.message).toMatch(
      /^ConfigMap "Bad_Name" is invalid: \[metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/,
    );
    expect(st.details?.causes?.map((c) => c.field)).toEqual(['metadata.name', 'data[a b]']);
  });
});

describe('checkTypeMeta', () => {
  it('refuses an apiVersion or kind that is not a string with 400, whatever it holds', () => {
    // An object whose `toString` is data cannot even be printed with String(): no 500 for it.
    expect(
      statusOf(() => checkTypeMeta(configMapKind, { apiVersion: { toString: 'x' } })),
    ).toMatchObject({
      code: 400,
      message:
        "couldn't get version/kind; json parse error: json: cannot unmarshal object into Go struct field .apiVersion of type string",
    });
    expect(statusOf(() => checkTypeMeta(configMapKind, { kind: 1 })).message).toBe(
      "couldn't get version/kind; json parse error: json: cannot unmarshal number into Go struct field .kind of type string",
    );
    expect(statusOf(() => checkTypeMeta(configMapKind, { kind: 'Pod' })).code).toBe(400);
    expect(() =>
      checkTypeMeta(configMapKind, { apiVersion: 'v1', kind: 'ConfigMap' }),
    ).not.toThrow();
  });
});
