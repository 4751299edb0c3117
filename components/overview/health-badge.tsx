import type { HealthView } from "../hooks/use-health-query";

export function HealthBadge({ health }: { health: HealthView | undefined }) {
  if (!health) return <span className="skeleton inline-block h-6 w-28" />;
  const label = !health.ok ? "Unhealthy" : health.workers.alive === 0 ? "Workers offline" : "Healthy";
  const tone = !health.ok
    ? "bg-red-100 text-red-800 dark:bg-red-500/15 dark:text-red-300"
    : health.workers.alive === 0
      ? "bg-amber-100 text-amber-900 dark:bg-amber-500/15 dark:text-amber-300"
      : "bg-emerald-100 text-emerald-800 dark:bg-emerald-500/15 dark:text-emerald-300";
  return (
    <span data-testid="health-badge" title={health.problems?.join("\n") || undefined} className={`rounded-full px-3 py-1 text-xs font-medium ${tone}`}>
      {label}
    </span>
  );
}
