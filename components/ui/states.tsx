export function EmptyState({ title, children }: { title: string; children?: React.ReactNode }) {
  return (
    <div className="card flex flex-col items-start gap-2 p-8" data-testid="empty-state">
      <h2 className="text-base font-semibold">{title}</h2>
      <div className="max-w-2xl text-sm leading-6 text-zinc-600 dark:text-zinc-400">{children}</div>
    </div>
  );
}

export function ErrorState({ error }: { error: unknown }) {
  return (
    <div role="alert" className="card border-red-300 p-6 text-sm text-red-800 dark:border-red-900 dark:text-red-300">
      <p className="font-semibold">Could not load this data</p>
      <p className="mt-1">{error instanceof Error ? error.message : String(error)}</p>
    </div>
  );
}

export function SkeletonRows({ rows = 3 }: { rows?: number }) {
  return (
    <div className="card space-y-3 p-6" aria-busy="true" aria-label="Loading">
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="skeleton h-4" style={{ width: `${90 - i * 12}%` }} />
      ))}
    </div>
  );
}

export function Code({ children }: { children: React.ReactNode }) {
  return <code className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-[0.85em] dark:bg-zinc-800">{children}</code>;
}
