import { parseLogSearch } from "@/lib/ingest/search/parse-query";

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A regex that finds what a search matched in a line: word prefixes, phrases and JSON field values. Null when the search has none or does not parse. */
export function highlighter(q: string): RegExp | null {
  let parsed;
  try {
    parsed = parseLogSearch(q);
  } catch {
    return null;
  }
  const parts = [
    ...parsed.phrases.map((p) => p.split(/\s+/).map(escape).join("\\s+")),
    ...parsed.words.map((w) => `(?<![\\p{L}\\p{N}_])${escape(w)}`),
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
