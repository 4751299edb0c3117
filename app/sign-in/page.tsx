import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { SignInForm } from "@/components/auth/sign-in-form";
import { SsoButton } from "@/components/auth/sso-button";
import { ssoErrorMessage } from "@/components/auth/sso-errors";
import { activeSsoConfig } from "@/lib/auth/auth";
import { safeNext } from "@/lib/auth/next-path";
import { sessionPrincipalOf } from "@/lib/auth/session";
import { countUsers } from "@/lib/auth/users";
import { mailConfigured } from "@/lib/mail/osprey-mail";
import Link from "next/link";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string | string[]; error?: string | string[]; password?: string | string[] }> }) {
  const { next, error, password } = await searchParams;
  const target = safeNext(typeof next === "string" ? next : null);
  if (await sessionPrincipalOf(await headers())) redirect(target);
  const nobody = (await countUsers()) === 0;
  const sso = await activeSsoConfig();
  return (
    <AuthCard title="Sign in">
      {nobody ? (
        <p className="text-sm" data-testid="not-set-up">
          Osprey has no users yet. Open the one-time setup link that <code className="font-mono">bin/osprey start</code> printed in its terminal to create the
          owner.
        </p>
      ) : (
        <>
          {typeof error === "string" && error && (
            <p role="alert" className="mb-4 rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-300" data-testid="sso-error">
              {ssoErrorMessage(error)}
            </p>
          )}
          {password === "set" && (
            <p role="status" className="mb-4 text-sm text-emerald-700 dark:text-emerald-400" data-testid="password-set">
              Your password is set: sign in with it.
            </p>
          )}
          {sso && <SsoButton name={sso.name} next={target} />}
          <SignInForm next={target} />
          {mailConfigured() && (
            <p className="mt-4 text-center text-sm">
              <Link className="text-zinc-600 underline hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100" href="/forgot-password">
                Forgot password?
              </Link>
            </p>
          )}
        </>
      )}
    </AuthCard>
  );
}
