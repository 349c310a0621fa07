import { fail } from '../../private/validation';

/**
 * The SQL fragments of a forensic query (`select`, `where`, `groupBy`, `orderBy`), read the way Athena
 * engine version 3 (Trino) tokenizes them, at the level needed to keep each inside the clause the library
 * renders it into: a `where` that closes the library's parenthesis, comments out its partition bounds or
 * starts a second statement would scan every partition of every account. Refused in every fragment:
 * - comments (`--`, `/*`), which hide what follows; `;`; backquotes and characters Trino does not read;
 * - unclosed quotes; unbalanced `(` `)` `[` `]`, and a closing one at depth zero, which would close a group
 *   the library opened (`1=1) OR (1=1`);
 * - at any depth, what reads other rows or tables (QUERY_WORDS): without them a fragment holds no subquery,
 *   so it reads only the rows the library's bounds select. `WITH` only as a common table expression: `WITH
 *   TIME ZONE` and the options of listagg, json_query and json_object are fine;
 * - at any depth unless called as a function, statement keywords (STATEMENT_WORDS). None could run inside a
 *   SELECT: refused so that the mistake reads as what it is. `TRUNCATE` is not one: it is a Trino function;
 * - outside parentheses, clause keywords (CLAUSE_WORDS; `IS DISTINCT FROM` and `WITHIN GROUP` are fine):
 *   the clauses are the library's. Inside parentheses they belong to expressions (`extract(year FROM x)`,
 *   `count(*) FILTER (WHERE ...)`, `OVER (ORDER BY ...)`);
 * - `?` outside `where`: Athena accepts parameters only in WHERE.
 */

/** The prop a fragment was given as. */
export type FragmentProp = 'select' | 'where' | 'groupBy' | 'orderBy';

type TokenKind = 'string' | 'quoted' | 'word' | 'number' | 'placeholder' | 'symbol';

/** One token: `depth` is the number of groups open around it (an opening bracket's own is outside it). */
export interface SqlToken {
  readonly kind: TokenKind;
  readonly text: string;
  readonly start: number;
  readonly depth: number;
}

const QUERY_WORDS = new Set(['SELECT', 'TABLE', 'VALUES', 'WITH', 'UNION', 'INTERSECT', 'EXCEPT', 'JOIN', 'LATERAL']);
// Words that may follow WITH in an expression: a type, listagg's WITH COUNT, json_query's wrapper option,
// json_object's WITH UNIQUE KEYS.
const AFTER_WITH = new Set(['TIME', 'COUNT', 'ARRAY', 'WRAPPER', 'CONDITIONAL', 'UNCONDITIONAL', 'UNIQUE']);
const STATEMENT_WORDS = new Set([
  'ALTER', 'ANALYZE', 'CALL', 'COMMIT', 'CREATE', 'DEALLOCATE', 'DELETE', 'DENY', 'DESCRIBE', 'DROP', 'EXECUTE',
  'EXPLAIN', 'GRANT', 'INSERT', 'MERGE', 'MSCK', 'OPTIMIZE', 'PREPARE', 'REFRESH', 'RESET', 'REVOKE', 'ROLLBACK',
  'SET', 'SHOW', 'START', 'UNLOAD', 'UPDATE', 'USE', 'VACUUM',
]);
const CLAUSE_WORDS = new Set(['FROM', 'WHERE', 'GROUP', 'HAVING', 'ORDER', 'LIMIT', 'OFFSET', 'FETCH', 'WINDOW']);
const CLAUSE_EXCEPT_AFTER: { readonly [word: string]: string } = { FROM: 'DISTINCT', GROUP: 'WITHIN' };

/**
 * Words that are never column names: operators, literals, the parts of CASE, CAST, window, interval,
 * datetime, trim, normalize, listagg and JSON function syntax, sort order. Trino lets some of them
 * (`day`, `year`, `value`) name columns too; as bare words they are taken as keywords, which is the
 * lenient reading.
 */
const KEYWORDS = new Set([
  'AND', 'OR', 'NOT', 'IN', 'IS', 'NULL', 'LIKE', 'ESCAPE', 'BETWEEN', 'CASE', 'WHEN', 'THEN', 'ELSE', 'END',
  'TRUE', 'FALSE', 'AS', 'CAST', 'TRY_CAST', 'DISTINCT', 'ALL', 'ANY', 'SOME', 'EXISTS', 'ASC', 'DESC', 'NULLS',
  'FIRST', 'LAST', 'OVER', 'PARTITION', 'BY', 'ROWS', 'RANGE', 'GROUPS', 'UNBOUNDED', 'PRECEDING', 'FOLLOWING',
  'CURRENT', 'ROW', 'FILTER', 'WITHIN', 'INTERVAL', 'DATE', 'TIME', 'TIMESTAMP', 'ZONE', 'AT', 'YEAR', 'QUARTER',
  'MONTH', 'WEEK', 'DAY', 'HOUR', 'MINUTE', 'SECOND', 'TO', 'FOR', 'BOTH', 'LEADING', 'TRAILING', 'CURRENT_DATE',
  'CURRENT_TIME', 'CURRENT_TIMESTAMP', 'LOCALTIME', 'LOCALTIMESTAMP', 'CURRENT_USER', 'CURRENT_CATALOG',
  'CURRENT_SCHEMA', 'CURRENT_PATH', 'GROUPING', 'SETS', 'ROLLUP', 'CUBE', 'IGNORE', 'RESPECT', 'UESCAPE', 'ARRAY',
  'MAP', 'NFC', 'NFD', 'NFKC', 'NFKD', 'JSON', 'FORMAT', 'ENCODING', 'UTF8', 'UTF16', 'UTF32', 'RETURNING',
  'PASSING', 'KEEP', 'OMIT', 'QUOTES', 'SCALAR', 'WRAPPER', 'WITHOUT', 'CONDITIONAL', 'UNCONDITIONAL', 'EMPTY',
  'ERROR', 'ON', 'UNKNOWN', 'OBJECT', 'VALUE', 'OVERFLOW', 'TRUNCATE', 'COUNT', 'EXCLUDE', 'TIES', 'OTHERS', 'NO',
  'DEFAULT', 'LAX', 'STRICT', 'UNIQUE', 'KEY', 'KEYS',
  ...QUERY_WORDS, ...CLAUSE_WORDS,
]);

// Trino's INTEGER_VALUE, DECIMAL_VALUE, DOUBLE_VALUE (with digit separators) and hexadecimal, binary, octal.
const NUMBER = /^(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?)/;
const WORD = /^[A-Za-z_][A-Za-z0-9_]*/;
const SYMBOLS = ['<>', '!=', '<=', '>=', '||', '->', '=>', '=', '<', '>', '+', '-', '*', '/', '%', ',', '.', '(', ')', '[', ']'];
const CLOSING: { readonly [open: string]: string } = { '(': ')', '[': ']' };
const MAX_SHOWN = 80;

/** A fragment as an error message shows it: long ones are cut. */
export function excerpt(sql: string): string {
  return sql.length <= MAX_SHOWN ? sql : `${sql.slice(0, MAX_SHOWN - 3)}...`;
}

/** A fragment split into Trino's tokens; refuses what the rules above forbid. */
export class SqlFragment {
  public static scan(prop: FragmentProp, sql: string): SqlFragment {
    return new SqlFragment(prop, sql, tokenize(prop, sql));
  }

  private constructor(public readonly prop: FragmentProp, public readonly sql: string, public readonly tokens: readonly SqlToken[]) {
    tokens.forEach((t, i) => this.checkWord(t, i));
  }

  /** The number of `?` parameters. */
  public get placeholders(): number {
    return this.tokens.filter(t => t.kind === 'placeholder').length;
  }

  /**
   * The output names of a select list, by token index: `expr AS name` and `expr name` outside parentheses (a
   * name after the end of an expression and before `,` or the end is an alias, as Trino reads it).
   */
  public get aliases(): ReadonlyMap<number, string> {
    const aliases = new Map<number, string>();
    this.tokens.forEach((t, i) => {
      const prev = this.tokens[i - 1];
      const next = this.tokens[i + 1];
      if (t.depth !== 0 || !isName(t) || !prev) return;
      const afterAs = prev.kind === 'word' && prev.text.toUpperCase() === 'AS';
      if (afterAs || (endsExpression(prev) && (!next || next.text === ',') && !isKeyword(t))) aliases.set(i, nameOf(t));
    });
    return aliases;
  }

  /** Fails with the fragment, its prop and `rule`. */
  public fail(rule: string): never {
    return fail(undefined, this.prop, excerpt(this.sql), rule);
  }

  private checkWord(t: SqlToken, i: number): void {
    if (t.kind !== 'word' || this.tokens[i - 1]?.text === '.') return;
    const word = t.text.toUpperCase();
    const next = this.tokens[i + 1];
    const at = `${word} at character ${t.start + 1}`;
    if (word === 'WITH' && next?.kind === 'word' && AFTER_WITH.has(next.text.toUpperCase())) return;
    if (QUERY_WORDS.has(word)) {
      this.fail(`must not contain ${at}: a fragment is part of the library's one SELECT of one table; SELECT, TABLE, ` +
        'VALUES, WITH, UNION, INTERSECT, EXCEPT, JOIN and LATERAL would read other rows or tables, outside its partition bounds');
    }
    if (STATEMENT_WORDS.has(word) && next?.text !== '(') {
      this.fail(`must not contain ${at}: a fragment is part of one SELECT statement, which cannot ${word.toLowerCase()} anything`);
    }
    const exemptAfter = CLAUSE_EXCEPT_AFTER[word];
    if (CLAUSE_WORDS.has(word) && t.depth === 0 && !(exemptAfter && this.tokens[i - 1]?.text.toUpperCase() === exemptAfter)) {
      this.fail(`must not contain ${at} outside parentheses: FROM, WHERE, GROUP BY, HAVING, ORDER BY, LIMIT, OFFSET, ` +
        `FETCH and WINDOW are the library's clauses, and ${this.prop} is the body of one of them`);
    }
  }
}

function tokenize(prop: FragmentProp, sql: string): SqlToken[] {
  const refuse: (rule: string) => never = rule => fail(undefined, prop, excerpt(sql), rule);
  const tokens: SqlToken[] = [];
  const open: Array<{ text: string; start: number }> = [];
  let pos = 0;
  const push = (kind: TokenKind, text: string) => {
    tokens.push({ kind, text, start: pos, depth: open.length });
    pos += text.length;
  };
  const quoted = (quote: string, from: number, what: string): string => {
    let end = from + 1;
    for (;;) {
      end = sql.indexOf(quote, end);
      if (end < 0) refuse(`has an unclosed ${quote} at character ${from + 1}: ${what} (write ${quote}${quote} for a ${quote} inside)`);
      if (sql[end + 1] !== quote) return sql.slice(pos, end + 1);
      end += 2;
    }
  };
  while (pos < sql.length) {
    const rest = sql.slice(pos);
    const ch = sql[pos];
    if (/\s/.test(ch)) {
      pos++;
    } else if (rest.startsWith('--') || rest.startsWith('/*')) {
      refuse(`must not contain comments ("${rest.slice(0, 2)}" at character ${pos + 1}): a comment hides the rest of the ` +
        'statement, the library\'s own partition bounds and clauses included');
    } else if (ch === ';') {
      refuse('must be one statement: no ";"');
    } else if (ch === '`') {
      refuse(`must not contain \` (character ${pos + 1}): Athena's SQL (Trino) quotes names with "`);
    } else if (ch === '\'' || /^[xX]'/.test(rest) || /^[uU]&'/.test(rest)) {
      const quoteAt = pos + rest.indexOf('\'');
      push('string', quoted('\'', quoteAt, 'a string ends with \''));
    } else if (ch === '"') {
      push('quoted', quoted('"', pos, 'a quoted name ends with "'));
    } else if (ch === '?') {
      if (prop !== 'where') refuse('must not contain ? outside quotes: Athena accepts parameters only in WHERE');
      push('placeholder', '?');
    } else if (NUMBER.test(rest)) {
      const number = NUMBER.exec(rest)![0];
      if (/^[A-Za-z_]/.test(sql.slice(pos + number.length))) {
        const digitName = number + WORD.exec(sql.slice(pos + number.length))![0];
        refuse(`has ${digitName} at character ${pos + 1}: a name must not start with a digit (quote it: "${digitName}")`);
      }
      push('number', number);
    } else if (WORD.test(rest)) {
      push('word', WORD.exec(rest)![0]);
    } else {
      const symbol = SYMBOLS.find(s => rest.startsWith(s));
      if (!symbol) refuse(`has ${JSON.stringify(ch)} at character ${pos + 1}, which is not part of Athena SQL outside quotes`);
      if (symbol === ')' || symbol === ']') {
        const opened = open.pop();
        if (!opened) {
          refuse(`closes at character ${pos + 1} a "${symbol}" it did not open: a fragment's parentheses must balance, ` +
            'and it must not close the library\'s own');
        }
        if (CLOSING[opened.text] !== symbol) {
          refuse(`closes the "${opened.text}" of character ${opened.start + 1} with "${symbol}" at character ${pos + 1}`);
        }
      }
      const start = pos;
      push('symbol', symbol!);
      if (symbol === '(' || symbol === '[') open.push({ text: symbol, start });
    }
  }
  if (open.length > 0) {
    const last = open[open.length - 1];
    refuse(`leaves the "${last.text}" of character ${last.start + 1} open: a fragment's parentheses must balance`);
  }
  return tokens;
}

function isName(t: SqlToken | undefined): boolean {
  return t !== undefined && (t.kind === 'word' || t.kind === 'quoted');
}

function isKeyword(t: SqlToken): boolean {
  return t.kind === 'word' && KEYWORDS.has(t.text.toUpperCase());
}

/** A name as Glue stores it: quotes removed, lowercase (Athena matches names case-insensitively). */
function nameOf(t: SqlToken): string {
  return (t.kind === 'quoted' ? t.text.slice(1, -1).replace(/""/g, '"') : t.text).toLowerCase();
}

function endsExpression(t: SqlToken): boolean {
  if (t.kind === 'word') return !KEYWORDS.has(t.text.toUpperCase()) || ['END', 'NULL', 'TRUE', 'FALSE'].includes(t.text.toUpperCase());
  return t.kind !== 'symbol' || t.text === ')' || t.text === ']';
}

/** A column type, parsed from the Hive type string Glue stores (`struct<a:string,b:array<double>>`). */
export type ColumnType =
  | { readonly kind: 'primitive'; readonly name: string }
  | { readonly kind: 'array'; readonly element: ColumnType }
  | { readonly kind: 'map'; readonly value: ColumnType }
  | { readonly kind: 'struct'; readonly fields: ReadonlyMap<string, ColumnType> };

export function parseColumnType(text: string): ColumnType {
  let pos = 0;
  const expect = (ch: string) => {
    if (text[pos] !== ch) throw new Error(`expected "${ch}" at ${pos} in the Hive type ${text}`);
    pos++;
  };
  const word = () => {
    const m = /^\s*([A-Za-z0-9_]+)\s*/.exec(text.slice(pos));
    if (!m) throw new Error(`expected a name at ${pos} in the Hive type ${text}`);
    pos += m[0].length;
    return m[1].toLowerCase();
  };
  const parse = (): ColumnType => {
    const name = word();
    if (!['array', 'map', 'struct'].includes(name)) {
      const params = /^\(\s*\d+(?:\s*,\s*\d+)?\s*\)/.exec(text.slice(pos));
      pos += params ? params[0].length : 0;
      return { kind: 'primitive', name };
    }
    expect('<');
    let type: ColumnType;
    if (name === 'array') {
      type = { kind: 'array', element: parse() };
    } else if (name === 'map') {
      parse();
      expect(',');
      type = { kind: 'map', value: parse() };
    } else {
      const fields = new Map<string, ColumnType>();
      while (text[pos] !== '>') {
        const field = word();
        expect(':');
        fields.set(field, parse());
        if (text[pos] === ',') pos++;
      }
      type = { kind: 'struct', fields };
    }
    expect('>');
    return type;
  };
  const type = parse();
  if (pos !== text.length) throw new Error(`unexpected "${text.slice(pos)}" in the Hive type ${text}`);
  return type;
}

/** The columns a fragment may name: a table's columns and partition columns, by lowercase name. */
export interface FragmentSchema {
  /** How errors name the table: `the events table`. */
  readonly description: string;
  readonly columns: ReadonlyMap<string, ColumnType>;
}

/**
 * Checks that every column a fragment names is one of `schema`'s, and each `.field` after it a field of
 * its struct type (through `[...]` subscripts: an array's element, a map's value). Not column names:
 * keywords, words followed by `(` (functions, dotted ones included), `->` or `=>` (lambda parameters,
 * named arguments), lambda variables anywhere in the fragment, the type after `AS` inside parentheses
 * (CAST), a word before a string (typed literals: `TIMESTAMP '...'`), and `aliases`: in `orderBy` as
 * Trino resolves them there, never in `where` or `groupBy`, where Trino does not.
 *
 * Lenient where the grammar is ambiguous: a word that Trino also reads as a non-reserved keyword
 * (`day`, `year`) passes as a keyword; lambda variables are not scoped to their lambda, and their fields,
 * like the fields of a function's result, are not checked; the tokens of a CAST's type are not checked.
 */
export function checkColumns(fragment: SqlFragment, schema: FragmentSchema, aliases: readonly string[]): void {
  const tokens = fragment.tokens;
  const lambdas = lambdaVariables(tokens);
  const skip = new Set<number>(fragment.prop === 'select' ? fragment.aliases.keys() : []);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (skip.has(i) || !isName(t) || tokens[i - 1]?.text === '.') continue;
    let end = i;
    while (tokens[end + 1]?.text === '.' && isName(tokens[end + 2])) end += 2;
    const after = tokens[end + 1];
    if (after && ['(', '->', '=>'].includes(after.text)) continue;
    if (isKeyword(t)) {
      if (t.text.toUpperCase() === 'AS') skipAs(tokens, i, skip);
      continue;
    }
    if (after?.kind === 'string' && end === i) continue;
    const name = nameOf(t);
    if (lambdas.has(name)) continue;
    if (!schema.columns.has(name) && aliases.includes(name)) {
      if (fragment.prop === 'orderBy') continue;
      fragment.fail(`names ${name}, an alias of select: Trino resolves select aliases only in ORDER BY; repeat the expression` +
        (fragment.prop === 'groupBy' ? ', or give its position in the select list (1, 2, ...)' : ''));
    }
    resolve(fragment, schema, i, skip);
  }
}

/** After `AS`: an alias outside parentheses, a CAST's type inside them (skipped to the group's end). */
function skipAs(tokens: readonly SqlToken[], i: number, skip: Set<number>): void {
  const depth = tokens[i].depth;
  if (depth === 0) {
    skip.add(i + 1);
    return;
  }
  for (let j = i + 1; j < tokens.length && tokens[j].depth >= depth; j++) skip.add(j);
}

/** Resolves the path starting at token `i` (`a.b[1].c`) against the schema, or fails naming it. */
function resolve(fragment: SqlFragment, schema: FragmentSchema, i: number, skip: Set<number>): void {
  const tokens = fragment.tokens;
  const column = nameOf(tokens[i]);
  let type = schema.columns.get(column);
  if (!type) {
    const paths = nestedPaths(schema, column);
    const near = [...paths, ...closest(column, [...schema.columns.keys()], paths.length > 0)].slice(0, 3);
    fragment.fail(`names ${column}, which is not a column of ${schema.description} (closest: ${near.join(', ')})`);
  }
  let path = column;
  let j = i + 1;
  for (;;) {
    if (tokens[j]?.text === '.' && isName(tokens[j + 1])) {
      const field = nameOf(tokens[j + 1]);
      if (type === undefined) {
        // A map value or a subscript of a primitive: nothing to check against.
      } else if (type.kind === 'struct') {
        const fieldType: ColumnType | undefined = type.fields.get(field);
        if (!fieldType) {
          fragment.fail(`names ${path}.${field}: ${path} has no field ${field} (closest: ${closest(field, [...type.fields.keys()]).join(', ')})`);
        }
        type = fieldType;
      } else if (type.kind === 'array') {
        fragment.fail(`names ${path}.${field}: ${path} is an array; read its elements' ${field} with ` +
          `transform(${path}, e -> e.${field}), element_at(${path}, 1).${field} or ${path}[1].${field}`);
      } else if (type.kind === 'primitive') {
        fragment.fail(`names ${path}.${field}: ${path} is a ${type.name}, which has no fields` +
          (type.name === 'string' ? `; read a field of JSON text with json_extract_scalar(${path}, '$.${field}')` : ''));
      }
      skip.add(j + 1);
      path = `${path}.${field}`;
      j += 2;
    } else if (tokens[j]?.text === '[') {
      const depth = tokens[j].depth;
      let k = j + 1;
      while (!(tokens[k].text === ']' && tokens[k].depth === depth)) k++;
      type = type?.kind === 'array' ? type.element : type?.kind === 'map' ? type.value : undefined;
      path = `${path}[]`;
      j = k + 1;
    } else {
      return;
    }
  }
}

/** Names bound by `x ->` or `(x, y) ->`. */
function lambdaVariables(tokens: readonly SqlToken[]): Set<string> {
  const names = new Set<string>();
  tokens.forEach((t, i) => {
    if (t.text !== '->' || t.kind !== 'symbol') return;
    const prev = tokens[i - 1];
    if (isName(prev)) {
      names.add(nameOf(prev));
    } else if (prev?.text === ')') {
      for (let j = i - 2; j >= 0 && tokens[j].depth > prev.depth; j--) if (isName(tokens[j])) names.add(nameOf(tokens[j]));
    }
  });
  return names;
}

/** Dotted paths through structs whose last field is `name` (`arn` -> `useridentity.arn`), shortest first. */
function nestedPaths(schema: FragmentSchema, name: string): string[] {
  const found: string[] = [];
  const visit = (path: string, type: ColumnType) => {
    if (type.kind !== 'struct') return;
    for (const [field, fieldType] of type.fields) {
      if (field === name) found.push(`${path}.${field}`);
      visit(`${path}.${field}`, fieldType);
    }
  };
  for (const [column, type] of schema.columns) visit(column, type);
  return found.sort((a, b) => a.split('.').length - b.split('.').length || a.localeCompare(b));
}

/**
 * The candidates nearest to `name`, three at most, by edit distance then alphabetically: those within half
 * its length or containing it (`name` -> `username`), or (unless `nearOnly`) the nearest one when none is.
 */
export function closest(name: string, candidates: readonly string[], nearOnly = false): string[] {
  const ranked = [...candidates]
    .map(c => ({ c, d: distance(name, c) }))
    .sort((a, b) => a.d - b.d || a.c.localeCompare(b.c));
  const near = ranked.filter(x => x.d <= Math.ceil(name.length / 2) || x.c.includes(name));
  if (near.length > 0 || nearOnly) return near.slice(0, 3).map(x => x.c);
  return ranked.slice(0, 1).map(x => x.c);
}

function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length];
}
