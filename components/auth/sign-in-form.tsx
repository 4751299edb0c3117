"use client";

import { useState } from "react";
import { AuthField, AuthSubmit } from "./auth-card";
import { useAuthSubmit } from "./use-auth-submit";

function messageFor(status: number, body: { code?: string; message?: string; retryAfter?: number } | null): string {
  if (status === 401) return "Wrong email or password.";
  if (status === 429) {
    if (body?.code === "LOCKED_OUT" && body.message) return `${body.message}.`;
    return "Too many sign-in attempts from here: wait a few minutes and try again.";
  }
  if (status === 400) return "Enter your email and password.";
  return body?.message ? `Could not sign in: ${body.message}` : `Could not sign in (HTTP ${status}).`;
}

export function SignInForm({ next }: { next: string }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const { error, pending, submit } = useAuthSubmit("/api/auth/sign-in/email", next, (status, body) => messageFor(status, body as Parameters<typeof messageFor>[1]));
  return (
    <form
      aria-label="Sign in"
      onSubmit={(e) => {
        e.preventDefault();
        void submit({ email, password });
      }}
    >
      <AuthField id="email" label="Email">
        <input id="email" className="input w-full" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
      </AuthField>
      <AuthField id="password" label="Password">
        <input id="password" className="input w-full" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
      </AuthField>
      <AuthSubmit error={error} pending={pending} label="Sign in" pendingLabel="Signing in…" />
    </form>
  );
}
