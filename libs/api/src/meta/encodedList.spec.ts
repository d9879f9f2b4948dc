import { encodeJsonBytes, withEncodedItems } from './encodedList';

const utf8 = (o: unknown) => Buffer.from(JSON.stringify(o));

describe('encodeJsonBytes', () => {
  const items = [{ metadata: { name: 'a' }, data: { x: '✓' } }, { metadata: { name: 'b' } }];
  const list = () =>
    withEncodedItems(
      {
        kind: 'ConfigMapList',
        apiVersion: 'v1',
        metadata: { resourceVersion: '7' },
        items: [...items],
      },
      items.map(utf8),
    );

  it('writes exactly the bytes of JSON.stringify, at the top and one level down', () => {
    expect(encodeJsonBytes(list()).toString()).toBe(JSON.stringify(list()));
    const reply = { code: 200, body: list(), warnings: undefined };
    expect(encodeJsonBytes(reply).toString()).toBe(JSON.stringify(reply));
    const empty = withEncodedItems({ metadata: {}, items: [] }, []);
    expect(encodeJsonBytes(empty).toString()).toBe(JSON.stringify(empty));
    expect(encodeJsonBytes({ plain: [1, 'x'] }).toString()).toBe('{"plain":[1,"x"]}');
  });

  it('copies the attached bytes instead of serializing the items again', () => {
    const l = withEncodedItems({ kind: 'L', apiVersion: 'v1', metadata: {}, items: [{ a: 1 }] }, [
      Buffer.from('{"a":"from-cache"}'),
    ]);
    expect(encodeJsonBytes(l).toString()).toBe(
      '{"kind":"L","apiVersion":"v1","metadata":{},"items":[{"a":"from-cache"}]}',
    );
  });

  it('is invisible to copies and falls back when the items changed', () => {
    const l = list();
    expect(Object.keys(l)).toEqual(['kind', 'apiVersion', 'metadata', 'items']);
    const copy = { ...l, items: [items[0]] };
    expect(encodeJsonBytes(copy).toString()).toBe(JSON.stringify(copy));
    l.items.pop();
    expect(encodeJsonBytes(l).toString()).toBe(JSON.stringify(l));
  });

  it('refuses bytes that do not match the items', () => {
    expect(() => withEncodedItems({ items: [1, 2] }, [utf8(1)])).toThrow(/2 items/);
  });
});
