import { isStatusError, notFound } from '@kubeling/api';
import { jsonPatch, patching } from './patch';

function failure(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    if (isStatusError(e)) return e.status;
    throw e;
  }
  throw new Error('expected a failure');
}

describe('jsonPatch (RFC 6902)', () => {
  const doc = { metadata: { name: 'x', labels: { 'a/b': '1' } }, list: [1, 2, 3] };

  it('applies add, remove, replace, move, copy and test', () => {
    const out = jsonPatch(doc, [
      { op: 'add', path: '/metadata/annotations', value: { k: 'v' } },
      { op: 'replace', path: '/metadata/name', value: 'y' },
      { op: 'remove', path: '/metadata/labels/a~1b' },
      { op: 'add', path: '/list/1', value: 9 },
      { op: 'add', path: '/list/-', value: 4 },
      { op: 'move', from: '/list/0', path: '/first' },
      { op: 'copy', from: '/first', path: '/again' },
      { op: 'test', path: '/metadata/name', value: 'y' },
    ]);
    expect(out).toEqual({
      metadata: { name: 'y', labels: {}, annotations: { k: 'v' } },
      list: [9, 2, 3, 4],
      first: 1,
      again: 1,
    });
    expect(doc.metadata.name).toBe('x');
  });

  it('fails a test operation with 422', () => {
    const st = failure(() => jsonPatch(doc, [{ op: 'test', path: '/metadata/name', value: 'z' }]));
    expect(st.code).toBe(422);
    expect(st.message).toBe('the server rejected our request due to an error in our request');
  });

  it('refuses to replace a missing key', () => {
    const st = failure(() =>
      jsonPatch(doc, [{ op: 'replace', path: '/metadata/annotations', value: {} }]),
    );
    expect(st.code).toBe(422);
    expect(st.details?.causes?.[0]?.message).toContain('/metadata/annotations');
  });

  it('refuses a patch that is not a list of operations with 400', () => {
    expect(failure(() => jsonPatch(doc, { op: 'add' })).code).toBe(400);
    expect(failure(() => jsonPatch(doc, [{ op: 'frobnicate', path: '/a' }])).code).toBe(400);
  });

  it('refuses out-of-range array indexes', () => {
    expect(failure(() => jsonPatch(doc, [{ op: 'add', path: '/list/7', value: 1 }])).code).toBe(
      422,
    );
    expect(failure(() => jsonPatch(doc, [{ op: 'remove', path: '/list/3' }])).code).toBe(422);
  });
});

describe('patching', () => {
  it('turns what a patch function could not handle into 400, and passes Status errors on', () => {
    expect(patching(() => 1)).toBe(1);
    expect(
      failure(() =>
        patching(() => {
          throw new TypeError("Cannot use 'in' operator to search for 'name' in x");
        }),
      ),
    ).toMatchObject({
      code: 400,
      reason: 'BadRequest',
      message: "error applying patch: Cannot use 'in' operator to search for 'name' in x",
    });
    expect(
      failure(() =>
        patching(() => {
          throw notFound({ group: '', resource: 'pods' }, 'p');
        }),
      ),
    ).toMatchObject({ code: 404, reason: 'NotFound' });
  });
});
