"use client";

import { useState } from "react";
import { AuthField, AuthSubmit } from "./auth-card";
import { useAuthSubmit } from "./use-auth-submit";

export const MIN_PASSWORD = 12;

/** A password being chosen, with its length rule. */
export function NewPasswordField({ value, onChange, label = "Password" }: { value: string; onChange: (v: string) => void; label?: string }) {
  return (
    <AuthField id="password" label={label} hint={`At least ${MIN_PASSWORD} characters.`}>
      <input id="password" className="input w-full" type="password" autoComplete="new-password" aria-describedby="password-hint" required value={value} onChange={(e) => onChange(e.target.value)} />
    </AuthField>
  );
}

type AuthAnswer = { code?: string; message?: string } | null;

/** The page a password link opens: better-auth's /reset-password takes the link's token once. */
export function ResetPasswordForm({ token }: { token: string }) {
  const [password, setPassword] = useState("");
  const { error, setError, pending, submit } = useAuthSubmit("/api/auth/reset-password", "/sign-in?password=set", (status, body) => {
    const b = body as AuthAnswer;
    if (b?.code === "INVALID_TOKEN") return "This link is not valid any more: it was used, it expired, or a newer one was made. Ask for a new one.";
    return b?.message ? `Could not set the password: ${b.message}` : `Could not set the password (HTTP ${status}).`;
  });
  return (
    <form
      aria-label="Set your password"
      onSubmit={(e) => {
        e.preventDefault();
        if (password.length < MIN_PASSWORD) setError(`The password needs at least ${MIN_PASSWORD} characters.`);
        else void submit({ token, newPassword: password });
      }}
    >
      <NewPasswordField label="New password" value={password} onChange={setPassword} />
      <AuthSubmit error={error} pending={pending} label="Set password" pendingLabel="Setting…" />
    </form>
  );
}

/** Asks better-auth to mail a link; the answer is the same whether the email belongs to someone or not. */
export function ForgotPasswordForm() {
  const [email, setEmail] = useState("");
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  if (sent) {
    return (
      <p role="status" className="text-sm" data-testid="reset-requested">
        If {email} belongs to a user of Osprey, a link to set a new password is on its way. It works once, for an hour.
      </p>
    );
  }
  return (
    <form
      aria-label="Reset your password"
      onSubmit={(e) => {
        e.preventDefault();
        setPending(true);
        setError(null);
        fetch("/api/auth/request-password-reset", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email }) })
          .then(async (res) => (res.ok ? setSent(true) : setError(((await res.json().catch(() => null)) as AuthAnswer)?.message ?? `Could not ask for a link (HTTP ${res.status}).`)))
          .catch(() => setError("Could not reach Osprey: check that it is running."))
          .finally(() => setPending(false));
      }}
    >
      <AuthField id="email" label="Email">
        <input id="email" className="input w-full" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
      </AuthField>
      <AuthSubmit error={error} pending={pending} label="Mail me a link" pendingLabel="Sending…" />
    </form>
  );
}
