import type { InvocationSummary } from "@/lib/api/schemas/invocations";

const TONE: Record<string, string> = {
  success: "bg-emerald-100 text-emerald-800 dark:bg-emerald-500/15 dark:text-emerald-300",
  error: "bg-red-100 text-red-800 dark:bg-red-500/15 dark:text-red-300",
  timeout: "bg-orange-100 text-orange-900 dark:bg-orange-500/15 dark:text-orange-300",
  out_of_memory: "bg-fuchsia-100 text-fuchsia-900 dark:bg-fuchsia-500/15 dark:text-fuchsia-300",
  crash: "bg-red-100 text-red-900 dark:bg-red-500/15 dark:text-red-300",
  pending: "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
};
const LABEL: Record<string, string> = { success: "success", error: "error", timeout: "timeout", out_of_memory: "out of memory", crash: "crash", pending: "in progress" };

export function StatusBadge({ status }: { status: InvocationSummary["status"] }) {
  const s = status ?? "pending";
  return <span className={`inline-block whitespace-nowrap rounded px-1.5 py-0.5 text-xs font-medium ${TONE[s]}`}>{LABEL[s]}</span>;
}

export function Badge({ children, tone = "sky" }: { children: React.ReactNode; tone?: "sky" | "amber" | "violet" }) {
  const t = {
    sky: "bg-sky-100 text-sky-900 dark:bg-sky-500/15 dark:text-sky-300",
    amber: "bg-amber-100 text-amber-900 dark:bg-amber-500/15 dark:text-amber-300",
    violet: "bg-violet-100 text-violet-900 dark:bg-violet-500/15 dark:text-violet-300",
  }[tone];
  return <span className={`inline-block whitespace-nowrap rounded px-1.5 py-0.5 text-xs font-medium ${t}`}>{children}</span>;
}
