import Link from "next/link";
import { PageHeader } from "./page-header";
import { EmptyState } from "./states";

/** A section whose data has not arrived: says what it will show and how to get there. */
export function WaitingForDataPage({ title, description, empty }: { title: string; description: string; empty: string }) {
  return (
    <>
      <PageHeader title={title} description={description} />
      <EmptyState title={empty}>
        <p>
          Data appears here once an account is connected and the workers have read it. Check the connection in{" "}
          <Link className="text-brand-600 underline" href="/settings">Settings</Link>.
        </p>
      </EmptyState>
    </>
  );
}
