export function ChartCard({
  title,
  subtitle,
  children,
  state,
  testId,
}: {
  title: string;
  subtitle?: React.ReactNode;
  children: React.ReactNode;
  state?: "loading" | "empty" | "error" | "ready";
  testId?: string;
}) {
  return (
    <figure className="card flex min-w-0 flex-col p-4" data-testid={testId ?? "chart"} data-state={state ?? "ready"}>
      <figcaption className="mb-2 flex items-baseline justify-between gap-2">
        <span className="text-sm font-medium">{title}</span>
        {subtitle && <span className="text-xs text-zinc-600 dark:text-zinc-400">{subtitle}</span>}
      </figcaption>
      {state === "loading" ? (
        <div className="skeleton h-[180px] w-full" aria-busy="true" aria-label={`Loading ${title}`} />
      ) : state === "empty" ? (
        <div className="flex h-[180px] items-center justify-center rounded-md border border-dashed border-zinc-300 text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
          No data in this range
        </div>
      ) : (
        children
      )}
    </figure>
  );
}
