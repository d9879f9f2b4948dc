import { isStatusError } from '@kubeling/api';
import { decode, encode } from './codec';
import {
  checkVersion,
  parseApiRequest,
  parseCancel,
  parseKeepalive,
  parseWatchRequest,
} from './messages';
import { apiSubjects, isPublishableSubject, subjectToken } from './subjects';

function statusOf(f: () => unknown) {
  try {
    f();
  } catch (e) {
    if (isStatusError(e)) return e.status;
    throw e;
  }
  throw new Error('did not throw');
}

describe('subjects', () => {
  it('puts every subject under kubeling.<cluster>.api.v1', () => {
    const s = apiSubjects('dev');
    expect(s.request).toBe('kubeling.dev.api.v1.request');
    expect(s.watch).toBe('kubeling.dev.api.v1.watch');
    expect(s.keepalive('api-server-0')).toBe('kubeling.dev.api.v1.replica.api-server-0.keepalive');
    expect(s.cancel('host.example-12')).toBe('kubeling.dev.api.v1.replica.host_example-12.cancel');
  });

  it('refuses cluster names that are not one subject token', () => {
    expect(() => apiSubjects('a.b')).toThrow(/DNS-1123/);
    expect(() => apiSubjects('*')).toThrow(/DNS-1123/);
  });

  it('makes any id one subject token and recognises publishable inboxes', () => {
    expect(subjectToken('a.b*c> d')).toBe('a_b_c__d');
    expect(isPublishableSubject('_INBOX.abc')).toBe(true);
    expect(isPublishableSubject('_INBOX.*')).toBe(false);
    expect(isPublishableSubject('a..b')).toBe(false);
    expect(isPublishableSubject('')).toBe(false);
  });
});

describe('codec', () => {
  it('round-trips JSON as UTF-8', () => {
    const v = { a: 'héllo ✓', n: [1, 2], o: { x: null } };
    expect(decode(encode(v))).toEqual(v);
    expect(new TextDecoder().decode(encode('✓'))).toBe('"✓"');
  });

  it('answers garbage with a 400', () => {
    expect(statusOf(() => decode(new TextEncoder().encode('{nope')))).toMatchObject({
      code: 400,
      reason: 'BadRequest',
    });
    expect(statusOf(() => decode(new Uint8Array([0xff, 0xfe])))).toMatchObject({ code: 400 });
  });
});

describe('version rule', () => {
  it('accepts v 1 and refuses a missing or other version with 400', () => {
    expect(() => checkVersion({ v: 1 })).not.toThrow();
    expect(statusOf(() => checkVersion({}))).toMatchObject({
      code: 400,
      message: 'missing protocol version "v" (this server speaks 1)',
    });
    expect(statusOf(() => checkVersion({ v: 2 })).message).toBe(
      'unsupported protocol version 2 (this server speaks 1)',
    );
    expect(statusOf(() => checkVersion('x')).code).toBe(400);
  });

  it('ignores unknown fields (compatible additions keep v 1)', () => {
    const r = parseApiRequest({
      v: 1,
      verb: 'get',
      group: '',
      version: 'v1',
      resource: 'pods',
      name: 'a',
      namespace: 'default',
      futureField: true,
    });
    expect(r).toMatchObject({ verb: 'get', name: 'a' });
  });

  it('checks the shape of requests, watch requests, keepalives and cancels', () => {
    expect(
      statusOf(() =>
        parseApiRequest({ v: 1, verb: 'watch', group: '', version: 'v1', resource: 'pods' }),
      ).message,
    ).toMatch(/^invalid request: verb: /);
    expect(
      statusOf(() =>
        parseApiRequest({
          v: 1,
          verb: 'list',
          group: '',
          version: 'v1',
          resource: 'pods',
          query: { limit: 5 },
        }),
      ).message,
    ).toMatch(/query\.limit/);
    expect(
      statusOf(() =>
        parseWatchRequest({ v: 1, group: '', version: 'v1', resource: 'pods', inbox: '_INBOX.>' }),
      ).message,
    ).toBe('invalid watch request: inbox: must be a subject without wildcards');
    expect(parseKeepalive({ v: 1, watchIds: ['a'] }).watchIds).toEqual(['a']);
    expect(statusOf(() => parseCancel({ v: 1 })).code).toBe(400);
    expect(statusOf(() => parseKeepalive({ v: 3, watchIds: [] })).message).toMatch(/version 3/);
  });
});
