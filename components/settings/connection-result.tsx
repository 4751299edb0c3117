"use client";

import type { ConnectionTestView } from "@/lib/api/schemas/onboarding";

export type ConnectionResult = ConnectionTestView;

/** What a connection test or an onboarding verify found: who Osprey is in the account, and each permission it lacks. */
export function ConnectionResultView({ result, okLabel }: { result: ConnectionResult; okLabel: string }) {
  if (!result.ok) {
    return (
      <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400" data-testid="test-result">
        Connection failed: {result.error ?? "unknown error"}
      </p>
    );
  }
  const checks = result.permissions ?? [];
  const problems = checks.filter((p) => p.status !== "allowed");
  return (
    <div className="mt-2 text-sm" data-testid="test-result">
      <p className="text-emerald-700 dark:text-emerald-400">
        {okLabel}
        {result.awsAccountId ? ` to account ${result.awsAccountId}` : ""}
        {result.arn ? ` as ${result.arn}` : ""}
        {result.region ? ` (${result.region})` : ""}.
      </p>
      {checks.length > 0 && problems.length === 0 && <p className="text-zinc-600 dark:text-zinc-400">All {checks.length} permissions of the read-only policy are granted.</p>}
      {problems.length > 0 && (
        <ul className="mt-1 list-disc pl-5" aria-label="Missing permissions" data-testid="permission-problems">
          {problems.map((p) => (
            <li key={`${p.action}/${p.call}`} className={p.status === "denied" && p.essential ? "text-red-700 dark:text-red-400" : "text-amber-700 dark:text-amber-400"}>
              <span className="font-mono">{p.message}</span>
              {p.essential && p.status === "denied" ? " (required)" : ""}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
