import Link from "next/link";
import type { InvocationDetail } from "@/lib/api/schemas/invocation";
import { formatMs, formatTimeMs } from "../format";
import { invocationHref } from "../resource/invocations-table";
import { StatusBadge } from "../resource/status-badge";

export function RetryChain({ d }: { d: InvocationDetail }) {
  const chain = d.retryChain;
  if (chain.length < 2) return null;
  return (
    <nav aria-label="Retry chain" className="card p-4" data-testid="retry-chain">
      <p className="mb-2 text-sm font-medium">
        Retried {chain.length - 1} time{chain.length > 2 ? "s" : ""}: every attempt of this request
      </p>
      <ol className="flex flex-wrap items-center gap-2">
        {chain.map((a, i) => {
          const current = a.attempt === d.invocation.attempt;
          return (
            <li key={a.id} className="flex items-center gap-2">
              {i > 0 && <span aria-hidden className="text-zinc-400">→</span>}
              <Link
                href={invocationHref(d.resource.id, a.requestId, a.attempt)}
                aria-current={current ? "page" : undefined}
                className={`flex items-center gap-2 rounded-md border px-2.5 py-1 text-sm ${
                  current ? "border-brand-600 bg-brand-50 dark:bg-brand-500/15" : "border-zinc-300 hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
                }`}
                data-testid="retry-link"
              >
                <span className="font-medium">Attempt {a.attempt}</span>
                <StatusBadge status={a.status} />
                <span className="num text-xs text-zinc-600 dark:text-zinc-400">
                  {formatTimeMs(a.startedAt)} · {formatMs(a.durationMs)}
                </span>
              </Link>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
