/**
 * A log search: words (matched as word prefixes), "quoted phrases" (matched exactly), and field
 * filters for JSON log lines (`level = ERROR`, `userId=42`, `user.id = "a b"`), all of which must
 * hold. Case-insensitive.
 */
export interface LogSearch {
  words: string[];
  phrases: string[];
  fields: { path: string[]; value: string }[];
}

export class SearchSyntaxError extends Error {}

const FIELD = /^([A-Za-z_][\w.-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|(\S+))/;
const PHRASE = /^"((?:[^"\\]|\\.)*)"/;

export function parseLogSearch(input: string): LogSearch {
  const out: LogSearch = { words: [], phrases: [], fields: [] };
  let rest = input.trim();
  if (rest.length > 500) throw new SearchSyntaxError("search is longer than 500 characters");
  while (rest.length) {
    let m: RegExpExecArray | null;
    if ((m = FIELD.exec(rest))) {
      out.fields.push({ path: m[1].split("."), value: (m[2] ?? m[3]).replace(/\\(.)/g, "$1") });
    } else if ((m = PHRASE.exec(rest))) {
      const phrase = m[1].replace(/\\(.)/g, "$1").trim();
      if (phrase) out.phrases.push(phrase);
    } else if (rest.startsWith('"')) {
      throw new SearchSyntaxError("a quoted phrase is not closed");
    } else {
      m = /^\S+/.exec(rest)!;
      out.words.push(m[0]);
    }
    rest = rest.slice(m[0].length).trimStart();
  }
  if (out.fields.length > 10 || out.words.length + out.phrases.length > 20) throw new SearchSyntaxError("too many search terms");
  return out;
}
