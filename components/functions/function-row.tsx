import Link from "next/link";
import { memo } from "react";
import type { ResourceRow } from "@/lib/api/schemas/resources";
import { Sparkline } from "../charts/sparkline";
import { KIND_COLUMNS, type KindColumn } from "@/lib/resource-columns";
import type { ResourceKind } from "@/lib/resource-kinds";
import { formatCount, formatMs, formatPercent, formatUnit, formatUsd } from "../format";
import { MemoryBar } from "./memory-bar";

const cell = "num whitespace-nowrap px-3 py-2 text-right";

function rateTone(r: number | null, warn: number, bad: number) {
  if (r === null) return "";
  if (r >= bad) return "font-medium text-red-700 dark:text-red-400";
  if (r >= warn) return "text-amber-700 dark:text-amber-400";
  return "";
}

export const FunctionRow = memo(function FunctionRow({ row, linkSuffix }: { row: ResourceRow; linkSuffix: string }) {
  return (
    <tr className="hover:bg-zinc-50 dark:hover:bg-zinc-800/50" data-testid="function-row">
      <td className="max-w-[10rem] px-3 py-2 sm:max-w-[18rem]">
        <Link href={`/functions/${row.id}${linkSuffix}`} className="block truncate font-medium text-brand-700 hover:underline dark:text-brand-100">
          {row.name}
        </Link>
        <span className="block truncate text-xs text-zinc-600 dark:text-zinc-400">
          {row.region} · {row.runtime ?? "image"} · {row.architecture ?? ""}
          {row.deleted ? " · deleted" : ""}
        </span>
      </td>
      <td className={cell}>{formatCount(row.invocations)}</td>
      <td className={`${cell} ${row.errors ? "text-red-700 dark:text-red-400" : ""}`}>{formatCount(row.errors)}</td>
      <td className={`${cell} ${rateTone(row.errorRate, 0.01, 0.1)}`}>{formatPercent(row.errorRate)}</td>
      <td className={cell}>{formatMs(row.p50)}</td>
      <td className={cell}>{formatMs(row.p95)}</td>
      <td className={cell}>{formatMs(row.p99)}</td>
      <td className={`${cell} ${rateTone(row.coldStartRate, 0.01, 0.1)}`}>{formatPercent(row.coldStartRate)}</td>
      <td className="px-3 py-2">
        <MemoryBar used={row.maxMemoryUsedMB} size={row.memorySizeMB} />
      </td>
      <td className={cell}>{formatUsd(row.costUsd)}</td>
      <td className="px-3 py-2">
        <Sparkline values={row.sparkline} width={80} height={22} />
      </td>
    </tr>
  );
});

const NO_COLUMNS: readonly KindColumn[] = [];

/** The columns a non-function tab shows. */
export function kindColumns(kind: string): readonly KindColumn[] {
  return (KIND_COLUMNS[kind as ResourceKind] ?? NO_COLUMNS).filter((c) => !c.hidden);
}

export const OtherResourceRow = memo(function OtherResourceRow({ row, linkSuffix }: { row: ResourceRow; linkSuffix: string }) {
  return (
    <tr className="hover:bg-zinc-50 dark:hover:bg-zinc-800/50" data-testid="function-row">
      <td className="px-3 py-2">
        <Link href={`/functions/${row.id}${linkSuffix}`} className="font-medium text-brand-700 hover:underline dark:text-brand-100">
          {row.name}
        </Link>
      </td>
      <td className="px-3 py-2">{row.region}</td>
      <td className="px-3 py-2">{row.account}</td>
      {kindColumns(row.kind).map((c) => (
        <td key={c.key} className={cell} data-column={c.key}>
          {formatUnit(row.metrics?.[c.key] ?? null, c.unit)}
        </td>
      ))}
      <td className="px-3 py-2">{row.deleted ? "deleted" : "active"}</td>
    </tr>
  );
});
