import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { SetupForm } from "@/components/auth/setup-form";
import { checkSetupToken } from "@/lib/auth/setup";
import { countUsers } from "@/lib/auth/users";

export const metadata: Metadata = { title: "Set up" };
export const dynamic = "force-dynamic";

// First run: the link `bin/osprey start` prints while no user exists.
export default async function SetupPage({ searchParams }: { searchParams: Promise<{ token?: string | string[] }> }) {
  if ((await countUsers()) > 0) redirect("/sign-in");
  const { token } = await searchParams;
  const valid = typeof token === "string" && (await checkSetupToken(token));
  return (
    <AuthCard title="Welcome to Osprey">
      {valid ? (
        <>
          <p className="mb-4 text-sm text-zinc-600 dark:text-zinc-400">Create the owner: the first user, who adds everyone else.</p>
          <SetupForm token={token} />
        </>
      ) : (
        <p role="alert" className="text-sm">
          This setup link is not valid: it was used already, or <code className="font-mono">bin/osprey start</code> printed a newer one. Use the latest link from its
          terminal.
        </p>
      )}
    </AuthCard>
  );
}
