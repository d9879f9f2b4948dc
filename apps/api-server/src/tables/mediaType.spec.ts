import { isStatusError } from '@kubeling/api';
import { negotiateOutput, parseAccept } from './mediaType';

/** What kubectl get sends (kubectl-wire P8). */
const kubectlGet =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

function refused(
  accept: string,
  stream = false,
): { code: number; reason: string; message: string } {
  try {
    negotiateOutput(accept, stream);
  } catch (e) {
    if (!isStatusError(e)) throw e;
    return { code: e.status.code, reason: e.status.reason ?? '', message: e.status.message ?? '' };
  }
  throw new Error(`${accept} was accepted`);
}

describe('parseAccept', () => {
  it('splits clauses and parameters, lower-cases types and keys, keeps values', () => {
    expect(parseAccept('Application/JSON ; As=Table ; v=v1;g=meta.k8s.io, */*')).toEqual([
      {
        type: 'application',
        subType: 'json',
        params: { as: 'Table', v: 'v1', g: 'meta.k8s.io' },
        q: 1,
      },
      { type: '*', subType: '*', params: {}, q: 1 },
    ]);
  });

  it('unquotes parameter values and does not split inside quotes', () => {
    const [c] = parseAccept('application/json;x="a,b;c";as="Table"');
    expect(c?.params).toEqual({ x: 'a,b;c', as: 'Table' });
  });

  it('orders by q, then concrete types before wildcards, and keeps ties in written order', () => {
    const order = parseAccept(
      '*/*;q=0.5, application/*, application/yaml;q=0.9, text/plain, application/json',
    ).map((c) => `${c.type}/${c.subType};${c.q}`);
    expect(order).toEqual([
      'text/plain;1',
      'application/json;1',
      'application/*;1',
      'application/yaml;0.9',
      '*/*;0.5',
    ]);
  });

  it('reads a malformed q as 0 and drops malformed ranges', () => {
    expect(parseAccept('application/json;q=high')[0]?.q).toBe(0);
    expect(parseAccept('application/json;q=1.5')[0]?.q).toBe(0);
    expect(parseAccept('garbage, /json, application/, */json')).toEqual([]);
    expect(parseAccept('')).toEqual([]);
    expect(parseAccept(undefined)).toEqual([]);
  });
});

describe('negotiateOutput', () => {
  it('answers JSON without an Accept header, or for */* and application/*', () => {
    for (const accept of [undefined, '', '*/*', 'application/*', 'application/json, */*'])
      expect(negotiateOutput(accept, false)).toEqual({
        serializer: 'json',
        contentType: 'application/json',
        pretty: false,
      });
  });

  it('gives kubectl get a v1 Table, and v1beta1 when that is all it asks for', () => {
    expect(negotiateOutput(kubectlGet, false).target).toEqual({ kind: 'Table', version: 'v1' });
    expect(
      negotiateOutput('application/json;as=Table;v=v1beta1;g=meta.k8s.io', false).target,
    ).toEqual({ kind: 'Table', version: 'v1beta1' });
    // the same Accept on a watch
    expect(negotiateOutput(kubectlGet, true).target).toEqual({ kind: 'Table', version: 'v1' });
  });

  it('honours q-values over the written order', () => {
    const out = negotiateOutput(
      'application/json;as=Table;v=v1;g=meta.k8s.io;q=0.5, application/json;q=0.9',
      false,
    );
    expect(out.target).toBeUndefined();
    // q=0 means "not acceptable" (RFC 9110 §12.4.2).
    expect(refused('application/json;as=Table;v=v1;g=meta.k8s.io;q=0').code).toBe(406);
    expect(negotiateOutput('application/json;q=0, application/yaml', false).serializer).toBe(
      'yaml',
    );
  });

  it('skips conversions it cannot make and falls back to a later clause', () => {
    for (const clause of [
      'application/json;as=Table;v=v2;g=meta.k8s.io',
      'application/json;as=Table;v=v1',
      'application/json;as=Table;v=v1;g=apps',
      'application/json;as=Deployment;v=v1;g=meta.k8s.io',
    ]) {
      expect(negotiateOutput(`${clause}, application/json`, false).target).toBeUndefined();
      expect(refused(clause).code).toBe(406);
    }
  });

  it('serves metadata-only clients', () => {
    expect(
      negotiateOutput(
        'application/vnd.kubernetes.protobuf;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json',
        false,
      ).target,
    ).toEqual({ kind: 'PartialObjectMetadataList', version: 'v1' });
  });

  it('answers JSON to typed clients that prefer protobuf (kubectl-wire P7)', () => {
    const out = negotiateOutput('application/vnd.kubernetes.protobuf, application/json', false);
    expect(out.serializer).toBe('json');
    expect(out.target).toBeUndefined();
  });

  it('refuses what it cannot write with 406 NotAcceptable', () => {
    for (const accept of [
      'application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io',
      'application/vnd.kubernetes.protobuf',
      'text/html',
      'garbage',
    ])
      expect(refused(accept)).toEqual({
        code: 406,
        reason: 'NotAcceptable',
        message: 'only the following media types are accepted: application/json, application/yaml',
      });
  });

  it('writes YAML, but not for a watch, which must stream', () => {
    expect(negotiateOutput('application/yaml', false)).toMatchObject({
      serializer: 'yaml',
      contentType: 'application/yaml',
    });
    expect(refused('application/yaml', true).code).toBe(406);
    expect(negotiateOutput('application/yaml, application/json', true).serializer).toBe('json');
  });

  it('accepts stream=watch only on watches', () => {
    expect(negotiateOutput('application/json;stream=watch', true).serializer).toBe('json');
    expect(refused('application/json;stream=watch', false).code).toBe(406);
    expect(refused('application/json;stream=other', true).code).toBe(406);
  });

  it('notes pretty=1 and ignores parameters it does not know', () => {
    expect(negotiateOutput('application/json;pretty=1;charset=utf-8', false).pretty).toBe(true);
  });
});
