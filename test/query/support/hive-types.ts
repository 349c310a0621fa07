/**
 * Hive column types as Glue stores them (`struct<a:string,b:array<double>>`), parsed so the SQL
 * tests can type DuckDB columns and decode JSON records exactly as the synthesized table says.
 */
export type HiveType =
  | { readonly kind: 'primitive'; readonly name: string }
  | { readonly kind: 'array'; readonly element: HiveType }
  | { readonly kind: 'map'; readonly key: HiveType; readonly value: HiveType }
  | { readonly kind: 'struct'; readonly fields: ReadonlyArray<{ readonly name: string; readonly type: HiveType }> };

export function parseHiveType(text: string): HiveType {
  let pos = 0;
  const peek = () => text[pos];
  const expect = (ch: string) => {
    if (text[pos] !== ch) throw new Error(`expected "${ch}" at ${pos} in ${text}`);
    pos++;
  };
  const word = () => {
    const m = /^[A-Za-z0-9_]+/.exec(text.slice(pos));
    if (!m) throw new Error(`expected a name at ${pos} in ${text}`);
    pos += m[0].length;
    return m[0];
  };
  const parse = (): HiveType => {
    const name = word().toLowerCase();
    if (name === 'array') {
      expect('<');
      const element = parse();
      expect('>');
      return { kind: 'array', element };
    }
    if (name === 'map') {
      expect('<');
      const key = parse();
      expect(',');
      const value = parse();
      expect('>');
      return { kind: 'map', key, value };
    }
    if (name === 'struct') {
      expect('<');
      const fields: Array<{ name: string; type: HiveType }> = [];
      while (peek() !== '>') {
        const field = word();
        expect(':');
        fields.push({ name: field, type: parse() });
        if (peek() === ',') pos++;
      }
      expect('>');
      return { kind: 'struct', fields };
    }
    return { kind: 'primitive', name };
  };
  const type = parse();
  if (pos !== text.length) throw new Error(`unexpected "${text.slice(pos)}" in ${text}`);
  return type;
}

const DUCKDB_PRIMITIVES: { [hive: string]: string } = {
  string: 'VARCHAR',
  double: 'DOUBLE',
  float: 'FLOAT',
  bigint: 'BIGINT',
  int: 'INTEGER',
  smallint: 'SMALLINT',
  tinyint: 'TINYINT',
  boolean: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  binary: 'BLOB',
};

/** The DuckDB type with the same shape. */
export function duckDbType(type: HiveType): string {
  switch (type.kind) {
    case 'primitive': {
      const mapped = DUCKDB_PRIMITIVES[type.name];
      if (!mapped) throw new Error(`no DuckDB type for Hive type ${type.name}`);
      return mapped;
    }
    case 'array': return `${duckDbType(type.element)}[]`;
    case 'map': return `MAP(${duckDbType(type.key)}, ${duckDbType(type.value)})`;
    case 'struct': return `STRUCT(${type.fields.map(f => `"${f.name}" ${duckDbType(f.type)}`).join(', ')})`;
  }
}

/**
 * Decodes one JSON value the way the Hive JSON SerDe does for a column of `type`: struct fields
 * match JSON keys case-insensitively (`eventName` fills `eventname`), keys the type does not declare
 * are dropped, a JSON object or array read into a `string` column becomes its JSON text, and
 * scalars read into a `string` column become their text (`false` -> `'false'`).
 */
export function decode(value: unknown, type: HiveType): unknown {
  if (value === null || value === undefined) return null;
  switch (type.kind) {
    case 'primitive':
      if (type.name === 'string') return typeof value === 'string' ? value : JSON.stringify(value);
      if (['double', 'float', 'bigint', 'int', 'smallint', 'tinyint'].includes(type.name)) {
        const n = typeof value === 'number' ? value : Number(value);
        if (Number.isNaN(n)) throw new Error(`cannot read ${JSON.stringify(value)} as ${type.name}`);
        return n;
      }
      if (type.name === 'boolean') return value === true || value === 'true';
      return value;
    case 'array':
      if (!Array.isArray(value)) throw new Error(`cannot read ${JSON.stringify(value)} as an array`);
      return value.map(v => decode(v, type.element));
    case 'map':
      if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`cannot read ${JSON.stringify(value)} as a map`);
      return Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, decode(v, type.value)]));
    case 'struct': {
      if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`cannot read ${JSON.stringify(value)} as a struct`);
      const byLowerKey = new Map(Object.entries(value as object).map(([k, v]) => [k.toLowerCase(), v]));
      return Object.fromEntries(type.fields.map(f => [f.name, decode(byLowerKey.get(f.name.toLowerCase()), f.type)]));
    }
  }
}
