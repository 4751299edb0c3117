"use client";

import { useState } from "react";
import { useCan } from "../auth/viewer";
import { useAccountsQuery } from "../hooks/use-accounts-query";
import { PageHeader } from "../ui/page-header";
import { Code, EmptyState, ErrorState, SkeletonRows } from "../ui/states";
import { AccountRow } from "./account-row";
import { ApiTokensSection } from "./api-tokens-section";
import { AddAccountForm } from "./add-account-form";
import { AuditSection } from "./audit-log";
import { ChannelsSection } from "./channels-section";
import { ConnectAccount } from "./connect-account";
import { ShownOnceKey } from "./firehose-key-control";
import { SandboxSwitch } from "./sandbox-switch";
import { SsoSection } from "./sso-section";
import { StorageSection } from "./storage-section";
import { UsersSection } from "./users-section";

export function SettingsPage() {
  const accounts = useAccountsQuery();
  const [adding, setAdding] = useState<"form" | "connect" | null>(null);
  const [newKey, setNewKey] = useState<string | null>(null);
  const admin = useCan("admin");
  const owner = useCan("owner");
  return (
    <>
      <PageHeader title="Settings" description="Connected AWS accounts and how Osprey reaches them; where alerts are sent." />
      <section aria-labelledby="accounts-heading">
        <div className="mb-3 flex items-center justify-between">
          <h2 id="accounts-heading" className="text-sm font-semibold uppercase tracking-wide text-zinc-600 dark:text-zinc-400">
            Accounts
          </h2>
          {admin && !adding && (
            <div className="flex gap-2">
              <button type="button" className="btn" onClick={() => setAdding("form")}>
                Add account
              </button>
              <button type="button" className="btn-primary" onClick={() => setAdding("connect")}>
                Connect an AWS account
              </button>
            </div>
          )}
        </div>
        {adding && (
          <div className="mb-4">
            {adding === "form" ? <AddAccountForm onDone={() => setAdding(null)} onCreated={setNewKey} /> : <ConnectAccount onDone={() => setAdding(null)} onCreated={setNewKey} />}
          </div>
        )}
        {newKey && (
          <div className="mb-4">
            <ShownOnceKey value={newKey} onDismiss={() => setNewKey(null)} />
          </div>
        )}
        {accounts.isPending ? (
          <SkeletonRows />
        ) : accounts.isError ? (
          <ErrorState error={accounts.error} />
        ) : accounts.data.length === 0 ? (
          <EmptyState title="No accounts connected">
            <p>
              Add one with the button above, or from a terminal with <Code>bin/osprey accounts add --name prod --regions us-east-1</Code>. Osprey needs read-only
              access: Lambda, CloudWatch Logs and metrics, X-Ray, SQS, API Gateway, DynamoDB describe/list calls.
            </p>
          </EmptyState>
        ) : (
          <ul className="card divide-y divide-zinc-200 dark:divide-zinc-800" data-testid="accounts">
            {accounts.data.map((a) => (
              <AccountRow key={a.id} account={a} />
            ))}
          </ul>
        )}
      </section>
      <ChannelsSection />
      <section aria-labelledby="sandbox-heading" className="mt-8">
        <h2 id="sandbox-heading" className="mb-3 text-sm font-semibold uppercase tracking-wide text-zinc-600 dark:text-zinc-400">
          Sandbox
        </h2>
        <SandboxSwitch />
      </section>
      <StorageSection />
      <ApiTokensSection />
      {owner && <SsoSection />}
      {admin && <UsersSection />}
      {admin && <AuditSection />}
    </>
  );
}
