// CloudWatch Logs filter patterns: space-separated terms (all must match), "quoted phrases",
// ?term (any of), -term (none of), and simple JSON patterns { $.field = "value" }.
export type Matcher = (message: string) => boolean;

export function compileFilterPattern(pattern: string | undefined): Matcher {
  const p = (pattern ?? "").trim();
  if (p === "" || p === '""') return () => true;
  if (p.startsWith("{") && p.endsWith("}")) return jsonMatcher(p.slice(1, -1).trim());
  const tokens = p.match(/[-?]?"[^"]*"|\S+/g) ?? [];
  const all: string[] = [];
  const any: string[] = [];
  const none: string[] = [];
  for (const tok of tokens) {
    const sign = tok[0] === "-" || tok[0] === "?" ? tok[0] : "";
    const term = (sign ? tok.slice(1) : tok).replace(/^"(.*)"$/, "$1");
    if (sign === "-") none.push(term);
    else if (sign === "?") any.push(term);
    else all.push(term);
  }
  return (m) => all.every((t) => m.includes(t)) && (any.length === 0 || any.some((t) => m.includes(t))) && !none.some((t) => m.includes(t));
}

function jsonMatcher(expr: string): Matcher {
  const m = /^\$\.([\w.]+)\s*(=|!=)\s*("?)(.*?)\3$/.exec(expr);
  if (!m) return () => false;
  const [, path, op, , raw] = m;
  return (message) => {
    let v: unknown;
    try {
      v = JSON.parse(message);
    } catch {
      return false;
    }
    for (const k of path.split(".")) v = v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined;
    if (v === undefined) return false;
    const glob = new RegExp(`^${raw.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);
    const eq = glob.test(String(v));
    return op === "=" ? eq : !eq;
  };
}
