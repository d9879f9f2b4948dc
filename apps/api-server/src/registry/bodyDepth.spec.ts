import { isStatusError } from '@kubeling/api';
import { checkBodyDepth, maxBodyDepth } from './bodyDepth';

/** `depth` objects (or lists) nested in each other. */
function nested(depth: number, list = false): unknown {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) v = list ? [v] : { a: v };
  return v;
}

function failure(body: unknown) {
  try {
    checkBodyDepth(body);
  } catch (e) {
    if (isStatusError(e)) return [e.code, e.reason, e.message];
    throw e;
  }
  return undefined;
}

describe('checkBodyDepth', () => {
  it('accepts bodies up to the limit and refuses deeper ones with 400', () => {
    expect(maxBodyDepth).toBe(100);
    expect(failure(undefined)).toBeUndefined();
    expect(failure('x')).toBeUndefined();
    expect(failure(nested(100))).toBeUndefined();
    expect(failure(nested(100, true))).toBeUndefined();
    expect(failure(nested(101))).toEqual([
      400,
      'BadRequest',
      'exceeded max depth: the request body nests objects and lists more than 100 levels deep',
    ]);
    expect(failure({ wide: Array.from({ length: 10_000 }, () => ({ a: [1] })) })).toBeUndefined();
  });

  it('walks a body far deeper than the stack would allow without overflowing', () => {
    const deep = JSON.parse(`${'['.repeat(200_000)}1${']'.repeat(200_000)}`) as unknown;
    expect(failure(deep)?.[0]).toBe(400);
  });
});
