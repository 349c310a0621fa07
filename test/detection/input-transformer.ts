/**
 * What EventBridge does with a target's InputTransformer, for tests: take the value at each path of
 * `InputPathsMap` from the event (a missing path gives `null`) and substitute it for `<name>` in `InputTemplate`.
 * A placeholder that stands as a whole JSON value gets the value's JSON encoding (a string quoted and escaped, an
 * object as JSON); a placeholder inside a quoted string gets the value's raw text, unescaped: EventBridge does not
 * escape what it pastes into a string. Names not in the map are left as they are.
 */
export interface InputTransformer {
  readonly InputPathsMap: { readonly [name: string]: string };
  readonly InputTemplate: string;
}

/** One placeholder of a template: its name, where it starts, and whether it is inside a quoted string. */
export interface Placeholder {
  readonly name: string;
  readonly index: number;
  readonly insideString: boolean;
}

/** The `<name>` placeholders of `template` for the names in `names`, in order. */
export function placeholdersOf(template: string, names: readonly string[]): Placeholder[] {
  const found: Placeholder[] = [];
  let insideString = false;
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (insideString && c === '\\') {
      i++; // the escaped character, a quote included, does not end the string
      continue;
    }
    if (c === '"') {
      insideString = !insideString;
      continue;
    }
    if (c === '<') {
      const end = template.indexOf('>', i);
      const name = end > i ? template.slice(i + 1, end) : '';
      if (names.includes(name)) {
        found.push({ name, index: i, insideString });
        i = end;
      }
    }
  }
  return found;
}

/** The value at a simple JSONPath (`$.detail.userIdentity.arn`, `$.detail-type`); undefined when missing. */
export function valueAt(event: unknown, path: string): unknown {
  if (path === '$') return event;
  if (!path.startsWith('$.')) throw new Error(`unsupported path ${path}`);
  let value: any = event;
  for (const key of path.slice(2).split('.')) {
    if (value === null || typeof value !== 'object' || !(key in value)) return undefined;
    value = value[key];
  }
  return value;
}

/** The text EventBridge sends to the target for `event`. */
export function renderInput(transformer: InputTransformer, event: unknown): string {
  const { InputPathsMap: paths, InputTemplate: template } = transformer;
  let out = '';
  let last = 0;
  for (const p of placeholdersOf(template, Object.keys(paths))) {
    const value = valueAt(event, paths[p.name]);
    out += template.slice(last, p.index);
    if (p.insideString) {
      out += value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
    } else {
      out += JSON.stringify(value === undefined ? null : value);
    }
    last = p.index + p.name.length + 2;
  }
  return out + template.slice(last);
}
