import {
  checkColumns, closest, excerpt, FragmentProp, FragmentSchema, parseColumnType, SqlFragment,
} from '../../src/query/private/sql-fragment';

const SCHEMA: FragmentSchema = {
  description: 'the test table',
  columns: new Map([
    ['eventname', parseColumnType('string')],
    ['eventtime', parseColumnType('string')],
    ['errormessage', parseColumnType('string')],
    ['requestparameters', parseColumnType('string')],
    ['useridentity', parseColumnType('struct<type:string,arn:string,sessioncontext:struct<sessionissuer:struct<arn:string>>>')],
    ['resources', parseColumnType('array<struct<arn:string,type:string>>')],
    ['tags', parseColumnType('map<string,struct<value:string>>')],
    ['day', parseColumnType('string')],
  ]),
};

const tokens = (prop: FragmentProp, sql: string) => SqlFragment.scan(prop, sql).tokens.map(t => [t.kind, t.text, t.depth]);

function check(prop: FragmentProp, sql: string, select = 'eventname AS name, count(*) calls'): void {
  const selectFragment = SqlFragment.scan('select', select);
  checkColumns(SqlFragment.scan(prop, sql), SCHEMA, [...selectFragment.aliases.values()]);
}

describe('tokens', () => {
  test('strings with \'\' escapes, quoted names with "" escapes, placeholders, dotted paths, operators', () => {
    expect(tokens('where', 'useridentity.arn LIKE ? AND errormessage = \'it\'\'s -- not a comment)\' OR "a""b" <> ?')).toEqual([
      ['word', 'useridentity', 0], ['symbol', '.', 0], ['word', 'arn', 0], ['word', 'LIKE', 0], ['placeholder', '?', 0],
      ['word', 'AND', 0], ['word', 'errormessage', 0], ['symbol', '=', 0], ['string', "'it''s -- not a comment)'", 0],
      ['word', 'OR', 0], ['quoted', '"a""b"', 0], ['symbol', '<>', 0], ['placeholder', '?', 0],
    ]);
  });

  test('numbers, binary and Unicode literals, lambdas, subscripts, and the depth of each token', () => {
    expect(tokens('select', "f(1.5e3, .5, 0x1F, X'00', U&'A', r -> r.arn)[1] || 'x'")).toEqual([
      ['word', 'f', 0], ['symbol', '(', 0], ['number', '1.5e3', 1], ['symbol', ',', 1], ['number', '.5', 1],
      ['symbol', ',', 1], ['number', '0x1F', 1], ['symbol', ',', 1], ['string', "X'00'", 1], ['symbol', ',', 1],
      ['string', "U&'A'", 1], ['symbol', ',', 1], ['word', 'r', 1], ['symbol', '->', 1], ['word', 'r', 1],
      ['symbol', '.', 1], ['word', 'arn', 1], ['symbol', ')', 0], ['symbol', '[', 0], ['number', '1', 1],
      ['symbol', ']', 0], ['symbol', '||', 0], ['string', "'x'", 0],
    ]);
  });

  test('? counts parameters outside quotes only', () => {
    expect(SqlFragment.scan('where', "eventname = ? AND errormessage <> '?' AND \"?\" = ?").placeholders).toBe(2);
    expect(SqlFragment.scan('where', '').placeholders).toBe(0);
  });

  test('select aliases: after AS, and a name that follows an expression before , or the end', () => {
    const aliases = SqlFragment.scan('select',
      'eventname AS name, count(*) calls, CAST(eventtime AS varchar) t, useridentity.arn, DISTINCT x, "Quoted" AS "Q"').aliases;
    expect([...aliases.values()]).toEqual(['name', 'calls', 't', 'q']);
  });
});

describe('refused fragments', () => {
  test.each<[string, FragmentProp, string, string]>([
    ['a parenthesis closing the library\'s own', 'where', '1=1) OR (1=1',
      'where "1=1) OR (1=1" closes at character 4 a ")" it did not open: a fragment\'s parentheses must balance, ' +
      'and it must not close the library\'s own'],
    ['a lone )', 'where', ')', 'where ")" closes at character 1 a ")" it did not open'],
    ['a lone (', 'where', '(', 'where "(" leaves the "(" of character 1 open: a fragment\'s parentheses must balance'],
    ['a ( left open', 'where', "(eventname = 'a'", 'leaves the "(" of character 1 open'],
    ['a [ closed by )', 'select', 'resources[1)', 'closes the "[" of character 10 with ")" at character 12'],
    ['a line comment', 'where', 'x = 1 --', 'where "x = 1 --" must not contain comments ("--" at character 7): a comment hides ' +
      'the rest of the statement, the library\'s own partition bounds and clauses included'],
    ['a block comment', 'where', 'x = 1 /* */', 'must not contain comments ("/*" at character 7)'],
    ['a comment in orderBy', 'orderBy', 'eventtime--', 'orderBy "eventtime--" must not contain comments'],
    ['an unclosed string', 'where', "'unclosed", 'where "\'unclosed" has an unclosed \' at character 1: a string ends with \' ' +
      '(write \'\' for a \' inside)'],
    ['a string whose quote is escaped', 'where', "eventname = 'a''", "has an unclosed ' at character 13"],
    ['an unclosed quoted name', 'select', '"eventname', 'select "\\"eventname" has an unclosed " at character 1: a quoted name ends with "'],
    ['a second statement', 'where', 'x = 1; DROP TABLE events', 'where "x = 1; DROP TABLE events" must be one statement: no ";"'],
    ['a union', 'where', "eventname = 'a' UNION SELECT * FROM other", 'must not contain UNION at character 17: a fragment is part ' +
      'of the library\'s one SELECT of one table; SELECT, TABLE, VALUES, WITH, UNION, INTERSECT, EXCEPT, JOIN and LATERAL ' +
      'would read other rows or tables, outside its partition bounds'],
    ['a subquery', 'where', 'eventname IN (SELECT eventname FROM events)', 'must not contain SELECT at character 15'],
    ['a subquery in select', 'select', '(SELECT count(*) FROM events) AS everything', 'select "(SELECT count(*) FROM events) AS everything" ' +
      'must not contain SELECT at character 2'],
    ['a table subquery', 'where', 'EXISTS (TABLE events)', 'must not contain TABLE'],
    ['VALUES', 'where', 'eventname IN (VALUES \'a\')', 'must not contain VALUES'],
    ['a common table expression', 'where', 'WITH t AS (1) x', 'must not contain WITH at character 1'],
    ['a join', 'where', 'x JOIN y ON true', 'must not contain JOIN'],
    ['INTERSECT', 'orderBy', 'eventtime INTERSECT x', 'must not contain INTERSECT'],
    ['DROP', 'where', 'DROP', 'where "DROP" must not contain DROP at character 1: a fragment is part of one SELECT statement, ' +
      'which cannot drop anything'],
    ['INSERT', 'select', 'INSERT INTO x', 'must not contain INSERT'],
    ['DELETE', 'where', 'DELETE', 'must not contain DELETE'],
    ['CREATE', 'groupBy', 'CREATE', 'must not contain CREATE'],
    ['ALTER, lowercase', 'where', 'alter table', 'must not contain ALTER'],
    ['FROM in select', 'select', 'eventname FROM other', 'select "eventname FROM other" must not contain FROM at character 11 ' +
      'outside parentheses: FROM, WHERE, GROUP BY, HAVING, ORDER BY, LIMIT, OFFSET, FETCH and WINDOW are the library\'s clauses, ' +
      'and select is the body of one of them'],
    ['LIMIT in orderBy', 'orderBy', 'eventtime LIMIT 10', 'must not contain LIMIT at character 11 outside parentheses'],
    ['HAVING in groupBy', 'groupBy', '1 HAVING count(*) > 1', 'must not contain HAVING'],
    ['ORDER in where', 'where', "eventname = 'a' ORDER BY 1", 'must not contain ORDER'],
    ['a clause keyword first', 'orderBy', 'ORDER BY eventtime', 'orderBy "ORDER BY eventtime" must not contain ORDER at character 1'],
    ['FROM first', 'select', 'FROM events', 'must not contain FROM at character 1'],
    ['? in select', 'select', 'eventname, ?', 'select "eventname, ?" must not contain ? outside quotes: Athena accepts parameters only in WHERE'],
    ['? in groupBy', 'groupBy', '?', 'must not contain ? outside quotes'],
    ['a backquoted name', 'where', '`eventname` = 1', 'must not contain ` (character 1): Athena\'s SQL (Trino) quotes names with "'],
    ['a character Trino does not read', 'where', 'eventname & 1', 'has "&" at character 11, which is not part of Athena SQL outside quotes'],
    ['a name starting with a digit', 'where', '1abc = 1', 'has 1abc at character 1: a name must not start with a digit (quote it: "1abc")'],
  ])('%s', (_, prop, sql, message) => {
    expect(() => SqlFragment.scan(prop, sql)).toThrow(message);
  });

  test('the fragment in the message is cut after 80 characters', () => {
    const sql = `${'eventname = \'x\' OR '.repeat(10)}1=1) OR (1=1`;
    expect(() => SqlFragment.scan('where', sql)).toThrow(`where "${sql.slice(0, 77)}..." closes at character`);
    expect(excerpt('short')).toBe('short');
  });
});

describe('accepted fragments', () => {
  test.each<[FragmentProp, string]>([
    ['where', "eventname = 'DeleteBucket' OR eventname = 'DeleteObject'"],
    ['where', 'useridentity.arn LIKE ?'],
    ['where', "errormessage = 'a -- b)'"],
    ['where', "errormessage = 'a /* b ;'"],
    ['where', "contains(transform(resources, r -> r.arn), 'x')"],
    ['where', "eventname IS DISTINCT FROM 'x'"],
    ['where', "extract(year FROM from_iso8601_timestamp(eventtime)) = 2024 AND trim(BOTH ' ' FROM eventname) <> ''"],
    ['where', "CAST(eventtime AS timestamp(3) WITH TIME ZONE) > TIMESTAMP '2024-01-01 00:00:00 UTC'"],
    ['where', "from_iso8601_timestamp(eventtime) > current_timestamp - INTERVAL '7' DAY"],
    ['where', "truncate(1.5) = 1 AND eventname <> 'DROP TABLE x; --'"],
    ['select', "count(*) FILTER (WHERE eventname LIKE 'Delete%') AS deletes"],
    ['select', 'row_number() OVER (PARTITION BY useridentity.arn ORDER BY eventtime) AS n'],
    ['select', "listagg(eventname, ',') WITHIN GROUP (ORDER BY eventname) AS names"],
    ['select', 'DISTINCT eventname'],
    ['select', 'useridentity.*'],
    ['groupBy', 'ROLLUP (eventname, useridentity.arn)'],
    ['orderBy', 'name DESC NULLS LAST, 2'],
  ])('%s %s', (prop, sql) => {
    expect(() => check(prop, sql)).not.toThrow();
  });
});

describe('columns', () => {
  test.each<[string, FragmentProp, string]>([
    ['struct fields, however deep', 'where', "useridentity.sessioncontext.sessionissuer.arn = 'x'"],
    ['quoted names, in any case', 'where', '"EventName" = \'x\' AND "useridentity"."ARN" = \'y\''],
    ['an array element\'s field, by subscript or function', 'where', "resources[1].arn = 'x' AND element_at(resources, 1).type = 'y'"],
    ['a map value\'s field', 'where', "tags['team'].value = 'x'"],
    ['lambda variables, one or several', 'where', 'reduce(resources, 0, (s, r) -> s + 1, s -> s) > 0'],
    ['functions, dotted ones too, and named arguments', 'where', 'system.f(x => 1) = 1'],
    ['typed literals', 'where', "eventtime > DATE '2024-01-01' AND ipaddress '10.0.0.1' IS NOT NULL"],
    ['a CAST\'s type', 'where', 'CAST(eventname AS array(row(a varchar))) IS NULL'],
    ['select aliases in orderBy', 'orderBy', 'calls DESC, name'],
    ['partition-like keywords', 'where', "day = '2024/05/01'"],
  ])('accepted: %s', (_, prop, sql) => {
    expect(() => check(prop, sql)).not.toThrow();
  });

  test.each<[string, FragmentProp, string, string]>([
    ['an unknown column, with the closest names', 'where', "eventnmae = 'x'",
      'where "eventnmae = \'x\'" names eventnmae, which is not a column of the test table (closest: eventname, eventtime)'],
    ['a sub-field named as a column: the paths that have it come first', 'where', "arn = 'x'",
      'names arn, which is not a column of the test table (closest: useridentity.arn, useridentity.sessioncontext.sessionissuer.arn)'],
    ['an unknown struct field', 'select', 'useridentity.sessioncontext.sessionisuer.arn',
      'names useridentity.sessioncontext.sessionisuer: useridentity.sessioncontext has no field sessionisuer (closest: sessionissuer)'],
    ['a field of JSON text', 'where', "requestparameters.bucketname = 'b'",
      'names requestparameters.bucketname: requestparameters is a string, which has no fields; read a field of JSON text with ' +
      'json_extract_scalar(requestparameters, \'$.bucketname\')'],
    ['a field of an array', 'where', "resources.arn = 'x'",
      'names resources.arn: resources is an array; read its elements\' arn with transform(resources, e -> e.arn), ' +
      'element_at(resources, 1).arn or resources[1].arn'],
    ['an unknown field of an array element', 'where', "resources[1].name = 'x'", 'names resources[].name: resources[] has no field name'],
    ['an unknown column inside a function', 'select', 'lower(eventsource)', 'names eventsource, which is not a column'],
    ['an unknown column inside a subscript', 'select', 'resources[idx]', 'names idx, which is not a column'],
    ['an unknown column in a CAST', 'where', 'CAST(nope AS varchar) = \'x\'', 'names nope'],
    ['a select alias in where', 'where', 'calls > 1',
      'where "calls > 1" names calls, an alias of select: Trino resolves select aliases only in ORDER BY; repeat the expression'],
    ['a select alias in groupBy', 'groupBy', 'name',
      'names name, an alias of select: Trino resolves select aliases only in ORDER BY; repeat the expression, or give its ' +
      'position in the select list (1, 2, ...)'],
    ['a select alias used in select', 'select', 'eventname AS name, name', 'select "eventname AS name, name" names name, an alias of select'],
    ['a table-qualified column', 'where', "events.eventname = 'x'", 'names events, which is not a column'],
  ])('refused: %s', (_, prop, sql, message) => {
    const select = prop === 'select' ? sql : undefined;
    expect(() => check(prop, sql, select)).toThrow(message);
  });
});

describe('Hive types', () => {
  test('structs, arrays, maps and parameterized primitives', () => {
    expect(parseColumnType('struct<a:array<struct<b:decimal(10,2)>>,m:map<string,varchar(5)>>')).toEqual({
      kind: 'struct',
      fields: new Map<string, unknown>([
        ['a', { kind: 'array', element: { kind: 'struct', fields: new Map([['b', { kind: 'primitive', name: 'decimal' }]]) } }],
        ['m', { kind: 'map', value: { kind: 'primitive', name: 'varchar' } }],
      ]),
    });
  });

  test.each(['struct<a>', 'array<string', 'string>', ''])('%j is refused', (text) => {
    expect(() => parseColumnType(text)).toThrow('in the Hive type');
  });
});

test('closest: within half the length by edit distance or containing the name, three at most; else the nearest', () => {
  expect(closest('eventnme', ['eventtime', 'eventname', 'eventid', 'eventtype', 'awsregion']))
    .toEqual(['eventname', 'eventtime', 'eventid']);
  expect(closest('name', ['type', 'arn', 'username'])).toEqual(['username']);
  expect(closest('xyz', ['eventname', 'day'])).toEqual(['day']);
  expect(closest('xyz', ['eventname', 'day'], true)).toEqual([]);
});
