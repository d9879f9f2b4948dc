import { encodeJson, withEncodedItems } from './encodedList';

describe('encodeJson', () => {
  const items = [{ metadata: { name: 'a' }, data: { x: '1' } }, { metadata: { name: 'b' } }];
  const list = () =>
    withEncodedItems(
      { kind: 'ConfigMapList', apiVersion: 'v1', metadata: { resourceVersion: '7' }, items },
      items.map((i) => JSON.stringify(i)),
    );

  it('writes exactly what JSON.stringify writes, at the top and one level down', () => {
    expect(encodeJson(list())).toBe(JSON.stringify(list()));
    const reply = { code: 200, body: list(), warnings: undefined };
    expect(encodeJson(reply)).toBe(JSON.stringify(reply));
  });

  it('uses the attached JSON instead of serializing the items again', () => {
    const l = withEncodedItems({ kind: 'L', apiVersion: 'v1', metadata: {}, items: [{ a: 1 }] }, [
      '{"a":"from-cache"}',
    ]);
    expect(encodeJson(l)).toBe(
      '{"kind":"L","apiVersion":"v1","metadata":{},"items":[{"a":"from-cache"}]}',
    );
  });

  it('is invisible to copies and falls back when the items changed', () => {
    const l = list();
    expect(Object.keys(l)).toEqual(['kind', 'apiVersion', 'metadata', 'items']);
    const copy = { ...l, items: [items[0]] };
    expect(encodeJson(copy)).toBe(JSON.stringify(copy));
    l.items.pop();
    expect(encodeJson(l)).toBe(JSON.stringify(l));
    l.items.push(items[1] as (typeof items)[number]);
  });

  it('refuses JSON that does not match the items', () => {
    expect(() => withEncodedItems({ items: [1, 2] }, ['1'])).toThrow(/2 items/);
  });
});
