import Link from "next/link";
import type { Overview, TopItem } from "@/lib/api/schemas/overview";
import { formatCount, formatMs, formatUsd } from "../format";

const LISTS: { key: keyof Overview["top"]; title: string; format: (v: number) => string; testId: string }[] = [
  { key: "errors", title: "Most failed invocations", format: formatCount, testId: "top-errors" },
  { key: "slowest", title: "Slowest (p95)", format: formatMs, testId: "top-slowest" },
  { key: "cost", title: "Most expensive", format: formatUsd, testId: "top-cost" },
  { key: "coldStarts", title: "Most cold starts (count)", format: formatCount, testId: "top-cold-starts" },
];

function TopList({ title, items, format, linkSuffix, testId }: { title: string; items: TopItem[]; format: (v: number) => string; linkSuffix: string; testId: string }) {
  const max = Math.max(...items.map((i) => i.value), 0) || 1;
  return (
    <div className="card p-4" data-testid={testId}>
      <h3 className="mb-2 text-sm font-medium">{title}</h3>
      {items.length === 0 ? (
        <p className="py-3 text-sm text-zinc-600 dark:text-zinc-400">None in this range.</p>
      ) : (
        <ol className="space-y-1.5">
          {items.map((i) => (
            <li key={i.id} className="relative">
              <span aria-hidden className="absolute inset-y-0 left-0 rounded bg-zinc-100 dark:bg-zinc-800" style={{ width: `${(i.value / max) * 100}%` }} />
              <Link href={`/functions/${i.id}${linkSuffix}`} className="relative flex items-center justify-between gap-2 rounded px-2 py-1 text-sm hover:underline">
                <span className="truncate">
                  {i.name}
                  <span className="ml-1.5 text-xs text-zinc-600 dark:text-zinc-400">{i.region}</span>
                </span>
                <span className="num shrink-0 font-medium">{format(i.value)}</span>
              </Link>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

export function TopLists({ top, linkSuffix }: { top: Overview["top"]; linkSuffix: string }) {
  return (
    <div className="grid gap-3 md:grid-cols-2 xl:grid-cols-4">
      {LISTS.map((l) => (
        <TopList key={l.key} title={l.title} items={top[l.key]} format={l.format} linkSuffix={linkSuffix} testId={l.testId} />
      ))}
    </div>
  );
}
