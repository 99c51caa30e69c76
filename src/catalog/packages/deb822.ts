// Control-file paragraphs (deb822 / RFC 822 style): "Field: value" lines, indented continuations, blank separators.

/** One paragraph: lowercased field names to their values, in order of appearance (repeated fields kept). */
export type Paragraph = Map<string, string[]>;

/** Splits text into paragraphs; a continuation line's text is appended to the previous field after a newline. */
export function parseParagraphs(text: string, opts: { firstOnly?: boolean } = {}): Paragraph[] {
  const out: Paragraph[] = [];
  let cur: Paragraph | undefined;
  let last: { key: string; index: number } | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*$/.test(line)) {
      if (cur !== undefined) {
        out.push(cur);
        if (opts.firstOnly === true) return out;
      }
      cur = undefined;
      last = undefined;
      continue;
    }
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (cur !== undefined && last !== undefined) {
        const values = cur.get(last.key) as string[];
        values[last.index] += `\n${line.trim()}`;
      }
      continue;
    }
    if (line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    cur ??= new Map();
    const values = cur.get(key) ?? [];
    values.push(value);
    cur.set(key, values);
    last = { key, index: values.length - 1 };
  }
  if (cur !== undefined) out.push(cur);
  return out;
}

/** The first value of a field (case-insensitive name), or undefined. */
export function field(p: Paragraph, name: string): string | undefined {
  return p.get(name.toLowerCase())?.[0];
}

/** Every value of a (repeatable) field. */
export function fields(p: Paragraph, name: string): string[] {
  return p.get(name.toLowerCase()) ?? [];
}

/** The first line of a field's value, or undefined when absent or empty. */
export function firstLine(p: Paragraph, name: string): string | undefined {
  const v = field(p, name)?.split('\n')[0]?.trim();
  return v === undefined || v === '' ? undefined : v;
}
