"use client";

import Link from "next/link";
import { useAccountsQuery } from "../hooks/use-accounts-query";
import { useHealthQuery } from "../hooks/use-health-query";
import { PageHeader } from "../ui/page-header";
import { Code, EmptyState, ErrorState, SkeletonRows } from "../ui/states";
import { HealthBadge } from "./health-badge";

export function OverviewPage() {
  const accounts = useAccountsQuery();
  const health = useHealthQuery();
  return (
    <>
      <PageHeader title="Overview" description="Every connected account and region at a glance." actions={<HealthBadge health={health.data} />} />
      {accounts.isPending ? (
        <SkeletonRows />
      ) : accounts.isError ? (
        <ErrorState error={accounts.error} />
      ) : accounts.data.length === 0 ? (
        <EmptyState title="No AWS account connected yet">
          <p>
            Connect an account in <Link className="text-brand-600 underline" href="/settings">Settings</Link>, or from a terminal with{" "}
            <Code>bin/osprey accounts add --name prod --regions us-east-1</Code>. With no account connected, <Code>npm start</Code> runs the
            sandbox: a simulated AWS account, so you can look around first.
          </p>
        </EmptyState>
      ) : (
        <EmptyState title="Waiting for the first data">
          <p>
            {accounts.data.length} account{accounts.data.length === 1 ? "" : "s"} connected ({accounts.data.map((a) => a.name).join(", ")}). The
            workers read logs, metrics and traces every minute; this page fills in as soon as the first invocations arrive.
          </p>
        </EmptyState>
      )}
    </>
  );
}
