"use client";

import { useState } from "react";

/** "Sign in with <name>": better-auth starts the authorization-code flow (state, PKCE, nonce) and the browser goes to the IdP. */
export function SsoButton({ name, next }: { name: string; next: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const start = async () => {
    setPending(true);
    setError(null);
    try {
      const res = await fetch("/api/auth/sign-in/social", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ provider: "sso", callbackURL: next, errorCallbackURL: "/sign-in" }),
      });
      const body = (await res.json().catch(() => null)) as { url?: string; message?: string } | null;
      if (res.ok && body?.url) {
        window.location.assign(body.url);
        return;
      }
      setError(res.status === 429 ? "Too many sign-in attempts from here: wait a minute and try again." : `Could not start single sign-on: ${body?.message ?? `HTTP ${res.status}`}`);
    } catch {
      setError("Could not reach Osprey: check that it is running.");
    }
    setPending(false);
  };
  return (
    <div className="mb-5">
      {error && (
        <p role="alert" className="mb-3 text-sm text-red-700 dark:text-red-400" data-testid="sso-start-error">
          {error}
        </p>
      )}
      <button type="button" className="btn w-full" disabled={pending} onClick={() => void start()} data-testid="sso-sign-in">
        {pending ? "Redirecting…" : `Sign in with ${name}`}
      </button>
      <p className="mt-4 text-center text-xs text-zinc-600 dark:text-zinc-400">or with your email and password</p>
    </div>
  );
}
