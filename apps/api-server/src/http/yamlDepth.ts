/**
 * How deep a YAML text nests, estimated from the text alone, so that a body nested far beyond
 * the limit is refused before the YAML parser sees it. The parser composes nodes recursively
 * and slows down sharply with depth: a 1,000-deep flow document takes half a second, a
 * 5,000-deep one exhausts the heap and kills the process. The JSON parser has no such problem,
 * so JSON bodies are parsed first and measured exactly (../registry/bodyDepth.ts).
 *
 * One linear pass: block nesting is the stack of indentations (plus compact `- - ` items), flow
 * nesting counts `[` and `{` that open a collection (at the start of a value, not inside a
 * scalar such as `foo[1]`), and quoted scalars and comments are skipped. It is an estimate that
 * errs high only for texts no one writes (a block scalar whose lines start with 100 unclosed
 * brackets); the exact check after parsing still applies.
 */
function skipQuoted(text: string, i: number): number {
  const q = text[i];
  let j = i + 1;
  while (j < text.length) {
    const c = text[j];
    if (q === '"' && c === '\\') j += 2;
    else if (c === q) {
      // '' inside a single-quoted scalar is an escaped quote.
      if (q === "'" && text[j + 1] === "'") j += 2;
      else return j + 1;
    } else j++;
  }
  return j;
}

/** An upper estimate of the nesting depth of the YAML (or JSON) document(s) in `text`. */
export function yamlDepthEstimate(text: string): number {
  // The block mappings enclosing the current line: their indentation, and whether a `- ` item
  // opened them (a sequence may sit at its parent key's indentation, its items replace each other).
  const blocks: { indent: number; item: boolean }[] = [];
  let line = { indent: 0, items: 0, mapping: false };
  let flow = 0;
  let max = 0;
  let i = 0;
  // Whether the next token starts a value (where `[`, `{` and quotes mean something).
  let atValue = true;
  let lineStart = true;
  while (i < text.length) {
    if (lineStart) {
      lineStart = false;
      let j = i;
      while (text[j] === ' ') j++;
      let items = 0;
      while (text[j] === '-' && (text[j + 1] === ' ' || text[j + 1] === '\n')) {
        items++;
        j++;
        while (text[j] === ' ') j++;
      }
      const c = text[j];
      if (flow === 0 && c !== undefined && c !== '\n' && c !== '\r' && c !== '#') {
        const indent = items ? j - i - 2 * items : j - i;
        const enclosing = (b: { indent: number; item: boolean }) =>
          items ? b.indent < indent || (b.indent === indent && !b.item) : b.indent < indent;
        while (blocks.length && !enclosing(blocks[blocks.length - 1] as (typeof blocks)[0]))
          blocks.pop();
        line = { indent, items, mapping: false };
        max = Math.max(max, blocks.length + items);
      }
      atValue = true;
      i = j;
      continue;
    }
    const c = text[i] as string;
    if (c === '\n') {
      lineStart = true;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if ((c === '"' || c === "'") && atValue) {
      i = skipQuoted(text, i);
      atValue = false;
    } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1] as string))) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if ((c === '[' || c === '{') && atValue) {
      flow++;
      max = Math.max(max, blocks.length + line.items + flow);
      i++;
    } else if ((c === ']' || c === '}') && flow > 0) {
      flow--;
      atValue = false;
      i++;
    } else if (c === ':' || c === ',' || c === '?' || (c === '-' && atValue)) {
      // The first `key:` of a line outside flow collections opens (or continues) a mapping.
      if (c === ':' && flow === 0 && !line.mapping) {
        line.mapping = true;
        blocks.push({ indent: line.indent, item: line.items > 0 });
        max = Math.max(max, blocks.length + line.items);
      }
      atValue = true;
      i++;
    } else {
      atValue = false;
      i++;
    }
  }
  return max;
}
