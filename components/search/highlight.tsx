import { parseLogSearch } from "@/lib/ingest/search/parse-query";

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

// Postgres's and JavaScript's regex dialects mostly agree; one JavaScript cannot read, or with a capturing
// group (it would split the line wrongly), is not highlighted.
function readsInJs(re: string): boolean {
  try {
    new RegExp(re, "u");
    return !/\((?!\?)/.test(re);
  } catch {
    return false;
  }
}

/** A regex that finds what a search matched in a line: words and phrases anywhere, JSON field values, regular expressions JavaScript reads too. Null when the search has none or does not parse. */
export function highlighter(q: string): RegExp | null {
  let parsed;
  try {
    parsed = parseLogSearch(q);
  } catch {
    return null;
  }
  const parts = [
    ...parsed.phrases.map((p) => p.split(/\s+/).map(escape).join("\\s+")),
    ...parsed.words.map(escape),
    ...parsed.regexes.filter(readsInJs),
    ...parsed.fields.map((f) => `(?<![\\p{L}\\p{N}_])${escape(f.value)}(?![\\p{L}\\p{N}_])`),
  ].filter(Boolean);
  if (!parts.length) return null;
  // Longer alternatives first, so a phrase wins over a word inside it.
  parts.sort((a, b) => b.length - a.length);
  return new RegExp(`(${parts.join("|")})`, "giu");
}

export function Highlighted({ text, re }: { text: string; re: RegExp | null }) {
  if (!re) return <>{text}</>;
  const pieces = text.split(re);
  return (
    <>
      {pieces.map((p, n) =>
        n % 2 === 1 ? (
          <mark key={n} className="rounded-sm bg-amber-200 px-0.5 text-zinc-900 dark:bg-amber-400/30 dark:text-amber-100">
            {p}
          </mark>
        ) : (
          p
        ),
      )}
    </>
  );
}
