"use client";

import { useQuery } from "@tanstack/react-query";
import type { StorageResponse } from "@/lib/api/schemas/storage";
import { formatMb } from "../format";
import { fetchJson } from "../hooks/fetch-json";
import { Code, ErrorState, SkeletonRows } from "../ui/states";

const mb = (bytes: number) => formatMb(bytes / 1_048_576);

/** Disk use and retention: how big the data folder is, and how long data stays. */
export function StorageSection() {
  const q = useQuery({ queryKey: ["storage"], queryFn: () => fetchJson<StorageResponse>("/api/v1/storage").then((r) => r.data) });
  return (
    <section aria-labelledby="storage-heading" className="mt-8">
      <h2 id="storage-heading" className="mb-3 text-sm font-semibold uppercase tracking-wide text-zinc-600 dark:text-zinc-400">
        Storage
      </h2>
      {q.isPending ? (
        <SkeletonRows rows={1} />
      ) : q.isError ? (
        <ErrorState error={q.error} />
      ) : (
        <dl className="card grid grid-cols-1 gap-4 px-5 py-4 text-sm sm:grid-cols-3" data-testid="storage">
          <div>
            <dt className="text-xs text-zinc-600 dark:text-zinc-400">Data folder</dt>
            <dd className="num mt-1 font-medium" data-testid="storage-folder">
              {q.data.dataFolder ? `${mb(q.data.dataFolder.bytes)} (WAL ${mb(q.data.dataFolder.walBytes)})` : "–"}
            </dd>
            <dd className="mt-1 break-all text-xs text-zinc-600 dark:text-zinc-400">
              {q.data.dataFolder ? <Code>{q.data.dataFolder.path}</Code> : "A database of its own (DATABASE_URL)"}
            </dd>
          </div>
          <div>
            <dt className="text-xs text-zinc-600 dark:text-zinc-400">Database</dt>
            <dd className="num mt-1 font-medium" data-testid="storage-database">
              {mb(q.data.databaseBytes)}
            </dd>
          </div>
          <div>
            <dt className="text-xs text-zinc-600 dark:text-zinc-400">Retention</dt>
            <dd className="num mt-1 font-medium" data-testid="storage-retention">
              {q.data.retentionDays} days
            </dd>
            <dd className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">
              Set by <Code>OSPREY_RETENTION_DAYS</Code>
            </dd>
          </div>
        </dl>
      )}
    </section>
  );
}
