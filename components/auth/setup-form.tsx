"use client";

import { useState } from "react";
import { AuthField, AuthSubmit } from "./auth-card";
import { MIN_PASSWORD, NewPasswordField } from "./password-forms";
import { useAuthSubmit } from "./use-auth-submit";

type SetupAnswer = { error?: { message?: string; issues?: { path: string; message: string }[] } } | null;

function messageFor(status: number, body: SetupAnswer): string {
  const issue = body?.error?.issues?.[0];
  return issue ? `${issue.path}: ${issue.message}` : (body?.error?.message ?? `Could not create the owner (HTTP ${status})`);
}

export function SetupForm({ token }: { token: string }) {
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const { error, setError, pending, submit } = useAuthSubmit("/api/setup", "/", (status, body) => messageFor(status, body as SetupAnswer));
  return (
    <form
      aria-label="Create the owner"
      onSubmit={(e) => {
        e.preventDefault();
        if (password.length < MIN_PASSWORD) setError(`The password needs at least ${MIN_PASSWORD} characters.`);
        else void submit({ token, name, email, password });
      }}
    >
      <AuthField id="name" label="Your name">
        <input id="name" className="input w-full" autoComplete="name" required value={name} onChange={(e) => setName(e.target.value)} />
      </AuthField>
      <AuthField id="email" label="Email">
        <input id="email" className="input w-full" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
      </AuthField>
      <NewPasswordField value={password} onChange={setPassword} />
      <AuthSubmit error={error} pending={pending} label="Create owner and sign in" pendingLabel="Creating…" />
    </form>
  );
}
