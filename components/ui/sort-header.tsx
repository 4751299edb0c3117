"use client";

export type SortOrder = "asc" | "desc";

/** A column header that sorts; the arrow and aria-sort say which way. */
export function SortHeader({
  column,
  label,
  sort,
  order,
  onSort,
  align = "right",
  defaultOrder = "desc",
  title,
}: {
  column: string;
  label: string;
  sort: string;
  order: SortOrder;
  onSort: (column: string, order: SortOrder) => void;
  align?: "left" | "right";
  defaultOrder?: SortOrder;
  /** What the figure counts, as a tooltip. */
  title?: string;
}) {
  const active = sort === column;
  return (
    <th scope="col" aria-sort={active ? (order === "asc" ? "ascending" : "descending") : "none"} className={`px-3 py-2 font-medium ${align === "right" ? "text-right" : "text-left"}`}>
      <button
        type="button"
        title={title}
        onClick={() => onSort(column, active ? (order === "asc" ? "desc" : "asc") : defaultOrder)}
        className={`inline-flex items-center gap-1 rounded uppercase tracking-wide hover:text-zinc-900 dark:hover:text-zinc-100 ${active ? "text-zinc-900 dark:text-zinc-100" : ""}`}
      >
        {label}
        <span aria-hidden className={`text-[10px] ${active ? "" : "opacity-0"}`}>
          {active && order === "asc" ? "▲" : "▼"}
        </span>
      </button>
    </th>
  );
}
