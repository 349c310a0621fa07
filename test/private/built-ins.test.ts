import { BuiltIns } from '../../src/private/built-ins';

describe('BuiltIns', () => {
  const catalog = [{ id: 'a', n: 1 }, { id: 'b', n: 2 }];

  test('makes one instance per id, on first use, and hands it out again', () => {
    const builtIns = new BuiltIns<{ id: string; n: number }, { n: number }>(catalog);
    const make = jest.fn((d: { n: number }) => ({ n: d.n }));
    const first = builtIns.get('b', make);
    expect(first).toEqual({ n: 2 });
    expect(builtIns.get('b', make)).toBe(first);
    expect(make).toHaveBeenCalledTimes(1);
  });

  test('an id the catalog lacks gives undefined; the ids are in catalog order', () => {
    const builtIns = new BuiltIns<{ id: string; n: number }, number>(catalog);
    expect(builtIns.get('c', d => d.n)).toBeUndefined();
    expect(builtIns.ids).toEqual(['a', 'b']);
  });
});
