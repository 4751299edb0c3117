export function Section({ title, action, children, testId, className = "" }: { title: string; action?: React.ReactNode; children: React.ReactNode; testId?: string; className?: string }) {
  const id = `section-${title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
  return (
    <section aria-labelledby={id} data-testid={testId} className={`mt-8 ${className}`}>
      <div className="mb-3 flex items-baseline justify-between gap-4">
        <h2 id={id} className="text-sm font-semibold uppercase tracking-wide text-zinc-600 dark:text-zinc-400">
          {title}
        </h2>
        {action}
      </div>
      {children}
    </section>
  );
}
