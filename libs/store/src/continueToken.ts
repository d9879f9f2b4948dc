/**
 * The list `continue` token: opaque to clients, base64url (no padding) of
 * `{"v":"meta.k8s.io/v1","rv":<first page's resourceVersion>,"start":"<last key returned>"}` —
 * the same shape apiserver's storage uses, and rejected with the same messages
 * (storage.DecodeContinue wrapped in `invalid continue token: ...` as a 400 BadRequest).
 */
import { badRequest } from '@kubeling/api';

const version = 'meta.k8s.io/v1';

export interface ContinueToken {
  /** resourceVersion of the first page. */
  rv: number;
  /** The last key (`namespace/name`) returned so far; the next page starts after it. */
  start: string;
}

export function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: version, rv: token.rv, start: token.start })).toString(
    'base64url',
  );
}

function invalid(why: string): Error {
  return badRequest(`invalid continue token: continue key is not valid${why ? `: ${why}` : ''}`);
}

export function decodeContinue(value: string): ContinueToken {
  // Buffer.from(…, 'base64url') skips bad characters silently; Go's decoder refuses them.
  const bad = value.search(/[^A-Za-z0-9_-]/);
  if (bad >= 0) throw invalid(`illegal base64 data at input byte ${bad}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch (e) {
    throw invalid(e instanceof Error ? e.message : String(e));
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalid('server does not recognize this encoded version');
  }
  const { v, rv, start } = parsed as Record<string, unknown>;
  if (v !== version) throw invalid('server does not recognize this encoded version');
  if (typeof rv !== 'number' || !Number.isSafeInteger(rv) || rv <= 0) {
    throw invalid(`incorrect encoded start resourceVersion (version ${version})`);
  }
  if (typeof start !== 'string' || start === '') {
    throw invalid(`encoded start key empty (version ${version})`);
  }
  return { rv, start };
}
