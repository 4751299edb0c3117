/**
 * A log search: words (found anywhere in a line, also inside longer tokens), "quoted phrases" (found
 * as written), field filters for JSON log lines (`level = ERROR`, `userId=42`, `user.id = "a b"`) and
 * /regular expressions/ (Postgres syntax), all of which must hold. Case-insensitive.
 */
export interface LogSearch {
  words: string[];
  phrases: string[];
  fields: { path: string[]; value: string }[];
  regexes: string[];
}

export class SearchSyntaxError extends Error {}

const FIELD = /^([A-Za-z_][\w.-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|(\S+))/;
const PHRASE = /^"((?:[^"\\]|\\.)*)"/;
// A /regex/ ends at a slash followed by a space or the end; `\/` is a slash inside it.
const REGEX = /^\/((?:[^/\\]|\\.)+)\/(?=\s|$)/;

export function parseLogSearch(input: string): LogSearch {
  const out: LogSearch = { words: [], phrases: [], fields: [], regexes: [] };
  let rest = input.trim();
  if (rest.length > 500) throw new SearchSyntaxError("search is longer than 500 characters");
  while (rest.length) {
    let m: RegExpExecArray | null;
    if ((m = FIELD.exec(rest))) {
      out.fields.push({ path: m[1].split("."), value: (m[2] ?? m[3]).replace(/\\(.)/g, "$1") });
    } else if ((m = PHRASE.exec(rest))) {
      const phrase = m[1].replace(/\\(.)/g, "$1").trim();
      if (phrase) out.phrases.push(phrase);
    } else if ((m = REGEX.exec(rest))) {
      out.regexes.push(m[1].replace(/\\\//g, "/"));
    } else if (rest.startsWith('"')) {
      throw new SearchSyntaxError("a quoted phrase is not closed");
    } else {
      m = /^\S+/.exec(rest)!;
      out.words.push(m[0]);
    }
    rest = rest.slice(m[0].length).trimStart();
  }
  if (out.fields.length > 10 || out.words.length + out.phrases.length > 20 || out.regexes.length > 3) throw new SearchSyntaxError("too many search terms");
  return out;
}

/**
 * Plain text that every match of a regular expression contains (runs of three or more characters),
 * so the trigram index can narrow on it: `processed order [0-9]+ for customer 42` holds
 * `for customer 42`, whose rarer trigrams the regex alone would not hand the index. Only for
 * expressions without groups or alternatives; a character a `?`, `*` or `{` makes optional is left out.
 */
export function requiredLiterals(regex: string): string[] {
  if (/[|()]/.test(regex)) return [];
  const runs: string[] = [];
  let run = "";
  const end = () => {
    if (run.length >= 3) runs.push(run);
    run = "";
  };
  for (let i = 0; i < regex.length; i++) {
    const c = regex[i];
    if (c === "\\") {
      const next = regex[i + 1] ?? "";
      i++;
      if (/[A-Za-z0-9]/.test(next) || !next) end();
      else run += next;
    } else if (c === "[") {
      end();
      const close = regex.indexOf("]", i + 2);
      if (close < 0) return [];
      i = close;
    } else if (c === "?" || c === "*" || c === "{") {
      run = run.slice(0, -1);
      end();
      if (c === "{") {
        const close = regex.indexOf("}", i);
        if (close < 0) return [];
        i = close;
      }
    } else if (".^$+]}".includes(c)) {
      end();
    } else {
      run += c;
    }
  }
  end();
  return runs;
}
