import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "@/components/auth/auth-card";
import { ResetPasswordForm } from "@/components/auth/password-forms";
import { passwordLinkValid } from "@/lib/auth/password-link";
import { mailConfigured } from "@/lib/mail/osprey-mail";

export const metadata: Metadata = { title: "Set your password", referrer: "no-referrer" };
export const dynamic = "force-dynamic";

// Where a password link lands (an owner's from Settings → Users, or one mailed by "Forgot password?").
export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<{ token?: string | string[] }> }) {
  const { token } = await searchParams;
  const valid = typeof token === "string" && (await passwordLinkValid(token));
  return (
    <AuthCard title="Set your password">
      {valid && typeof token === "string" ? (
        <>
          <p className="mb-4 text-sm text-zinc-600 dark:text-zinc-400">Choose a password for Osprey. Setting it signs you out everywhere else.</p>
          <ResetPasswordForm token={token} />
        </>
      ) : (
        <p role="alert" className="text-sm" data-testid="link-invalid">
          This link is not valid any more: it was used, it expired, or a newer one was made.{" "}
          {mailConfigured() ? (
            <Link className="underline" href="/forgot-password">
              Ask for a new one
            </Link>
          ) : (
            "Ask an owner of Osprey for a new one"
          )}
          .
        </p>
      )}
    </AuthCard>
  );
}
