/**
 * A small evaluator for the subset of CloudWatch Logs JSON filter patterns the CIS benchmark uses
 * (`$.a.b = value`, `!=`, `NOT EXISTS`, `IS TRUE`, `IS FALSE`, `$.a[0]`, `&&`, `||`, parentheses, `*` wildcards), so tests can check that each
 * EventBridge pattern agrees with its CIS metric filter on the same records.
 *
 * Assumptions, stated because CloudWatch Logs does not document them: `&&` binds tighter than `||`, and a
 * comparison on a missing field is false for both `=` and `!=`.
 */

type Node =
  | { kind: 'or' | 'and'; items: Node[] }
  | { kind: 'cmp'; path: string[]; op: '=' | '!='; value: string }
  | { kind: 'notExists'; path: string[] }
  | { kind: 'isBoolean'; path: string[]; value: boolean };

export function metricFilterMatches(pattern: string, record: { [key: string]: any }): boolean {
  const text = pattern.trim();
  if (!text.startsWith('{') || !text.endsWith('}')) throw new Error(`not a JSON filter pattern: ${pattern}`);
  const parser = new Parser(text.slice(1, -1));
  const tree = parser.parseOr();
  parser.expectEnd();
  return evaluate(tree, record);
}

class Parser {
  private pos = 0;
  constructor(private readonly src: string) {}

  public parseOr(): Node {
    const items = [this.parseAnd()];
    while (this.eat('||')) items.push(this.parseAnd());
    return items.length === 1 ? items[0] : { kind: 'or', items };
  }

  public expectEnd(): void {
    this.skip();
    if (this.pos !== this.src.length) throw new Error(`unexpected "${this.src.slice(this.pos)}"`);
  }

  private parseAnd(): Node {
    const items = [this.parsePrimary()];
    while (this.eat('&&')) items.push(this.parsePrimary());
    return items.length === 1 ? items[0] : { kind: 'and', items };
  }

  private parsePrimary(): Node {
    if (this.eat('(')) {
      const inner = this.parseOr();
      if (!this.eat(')')) throw new Error(`missing ")" at ${this.pos}`);
      return inner;
    }
    const path = this.parseSelector();
    if (this.eat('NOT EXISTS')) return { kind: 'notExists', path };
    if (this.eat('IS TRUE')) return { kind: 'isBoolean', path, value: true };
    if (this.eat('IS FALSE')) return { kind: 'isBoolean', path, value: false };
    const op = this.eat('!=') ? '!=' : this.eat('=') ? '=' : undefined;
    if (!op) throw new Error(`expected an operator at ${this.pos}`);
    return { kind: 'cmp', path, op, value: this.parseValue() };
  }

  private parseSelector(): string[] {
    this.skip();
    const m = /^\$((\.[A-Za-z0-9_-]+(\[\d+\])?)+)/.exec(this.src.slice(this.pos));
    if (!m) throw new Error(`expected a selector at ${this.pos}`);
    this.pos += m[0].length;
    // `a.b[0]` selects the first element of the list `b`.
    return m[1].slice(1).split('.').flatMap(key => {
      const index = /^(.*)\[(\d+)\]$/.exec(key);
      return index ? [index[1], index[2]] : [key];
    });
  }

  private parseValue(): string {
    this.skip();
    if (this.src[this.pos] === '"') {
      const end = this.src.indexOf('"', this.pos + 1);
      const value = this.src.slice(this.pos + 1, end);
      this.pos = end + 1;
      return value;
    }
    const m = /^[^\s()&|]+/.exec(this.src.slice(this.pos));
    if (!m) throw new Error(`expected a value at ${this.pos}`);
    this.pos += m[0].length;
    return m[0];
  }

  private eat(token: string): boolean {
    this.skip();
    if (this.src.startsWith(token, this.pos)) {
      this.pos += token.length;
      return true;
    }
    return false;
  }

  private skip(): void {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos])) this.pos++;
  }
}

function lookup(record: unknown, path: string[]): unknown {
  let node: any = record;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = node[key];
  }
  return node;
}

function valueMatches(actual: unknown, expected: string): boolean {
  if (actual === undefined || actual === null || typeof actual === 'object') return false;
  const text = String(actual);
  const regex = new RegExp(`^${expected.split('*').map(s => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return regex.test(text);
}

function evaluate(node: Node, record: { [key: string]: any }): boolean {
  switch (node.kind) {
    case 'or': return node.items.some(n => evaluate(n, record));
    case 'and': return node.items.every(n => evaluate(n, record));
    case 'notExists': return lookup(record, node.path) === undefined;
    // `IS TRUE` / `IS FALSE` match JSON booleans only.
    case 'isBoolean': return lookup(record, node.path) === node.value;
    default: {
      const actual = lookup(record, node.path);
      if (actual === undefined) return false;
      return node.op === '=' ? valueMatches(actual, node.value) : !valueMatches(actual, node.value);
    }
  }
}
