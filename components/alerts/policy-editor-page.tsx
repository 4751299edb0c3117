"use client";

import Link from "next/link";
import { ApiError } from "../hooks/fetch-json";
import { PageHeader } from "../ui/page-header";
import { EmptyState, ErrorState, SkeletonRows } from "../ui/states";
import { PolicyEditor } from "./policy-editor";
import { usePolicyQuery, useResourceNames } from "./use-alerts";

/** /alerts/new (no id) and /alerts/ID: the editor, once the policy and the names of its resources are in. */
export function PolicyEditorPage({ id }: { id?: number }) {
  if (id === undefined) {
    return (
      <div>
        <PageHeader title="New alert policy" description="What to watch, where, and whom to tell." />
        <PolicyEditor />
      </div>
    );
  }
  return <EditPolicy id={id} />;
}

function EditPolicy({ id }: { id: number }) {
  const policy = usePolicyQuery(id);
  const { names, pending: namesPending } = useResourceNames(policy.data?.scopeKind === "resources" ? policy.data.resourceIds : []);
  return (
    <div>
      <PageHeader title={policy.data ? `Edit ${policy.data.name}` : "Edit alert policy"} description={policy.data?.isDefault ? "A default policy, created with the install." : undefined} />
      {policy.isPending || namesPending ? (
        <SkeletonRows rows={8} />
      ) : policy.isError ? (
        policy.error instanceof ApiError && policy.error.status === 404 ? (
          <EmptyState title="No such policy">
            <p>
              It may have been deleted. Back to{" "}
              <Link href="/alerts" className="link underline">
                Alerts
              </Link>
              .
            </p>
          </EmptyState>
        ) : (
          <ErrorState error={policy.error} />
        )
      ) : (
        <PolicyEditor key={policy.data.id} policy={policy.data} resourceNames={names} />
      )}
    </div>
  );
}
