/**
 * Warning headers as upstream writes them: `299 - "<text>"`, the text quoted with `"` and `\`
 * escaped. The text can carry anything a client sent (an unknown field named `😀`); node refuses
 * header values beyond Latin-1 (and DEL) and writes the rest as UTF-8, so everything outside
 * printable ASCII is escaped as JSON escapes it (`\ud83d\ude00`): the header stays ASCII and a
 * JSON-reading client (ours: parseWarnings) gets the exact text back.
 */
export function warningHeader(text: string): string {
  const quoted = JSON.stringify(text).replace(
    /[^\x20-\x7e]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `299 - ${quoted}`;
}
