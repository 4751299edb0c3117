"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { PasswordLink } from "@/lib/api/schemas/users";
import type { UserView } from "@/lib/auth/users";
import { ROLE_GRANTS, ROLES, type Role } from "@/lib/auth/roles";
import { useCan, useViewer } from "../auth/viewer";
import { fetchJson } from "../hooks/fetch-json";
import { fieldIssue, submitJson } from "../hooks/submit-json";
import { formatAgo, formatDateTime } from "../format";
import { ConfirmRemove } from "../ui/confirm-remove";
import { ShownOnce } from "../ui/shown-once";
import { ErrorState, SkeletonRows } from "../ui/states";
import { FormButtons } from "../ui/form-buttons";

type Shown = { email: string; link: PasswordLink };

function useUsersQuery() {
  return useQuery({ queryKey: ["users"], queryFn: () => fetchJson<{ data: UserView[] }>("/api/v1/users").then((r) => r.data) });
}

function useRefreshUsers() {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: ["users"] });
    void qc.invalidateQueries({ queryKey: ["audit"] });
  };
}

/** Settings → Users: admins see who may sign in; owners add, change, remove and make password links. */
export function UsersSection() {
  const users = useUsersQuery();
  const owner = useCan("owner");
  const [adding, setAdding] = useState(false);
  const [shown, setShown] = useState<Shown | null>(null);
  return (
    <section aria-labelledby="users-heading" className="mt-8">
      <div className="mb-3 flex items-center justify-between">
        <h2 id="users-heading" className="text-sm font-semibold uppercase tracking-wide text-zinc-600 dark:text-zinc-400">
          Users
        </h2>
        {owner && !adding && (
          <button type="button" className="btn-primary" onClick={() => setAdding(true)}>
            Add user
          </button>
        )}
      </div>
      {adding && (
        <AddUserForm
          onDone={() => setAdding(false)}
          onCreated={(s) => {
            setAdding(false);
            setShown(s);
          }}
        />
      )}
      {shown && <LinkShown shown={shown} onDismiss={() => setShown(null)} />}
      {users.isPending ? (
        <SkeletonRows rows={2} />
      ) : users.isError ? (
        <ErrorState error={users.error} />
      ) : (
        <div className="card mt-3 overflow-x-auto">
          <table className="w-full text-left text-sm" data-testid="users">
            <thead className="text-xs uppercase text-zinc-600 dark:text-zinc-400">
              <tr>
                <th className="px-4 py-2 font-medium">Name</th>
                <th className="px-4 py-2 font-medium">Email</th>
                <th className="px-4 py-2 font-medium">Role</th>
                <th className="px-4 py-2 font-medium">Last sign-in</th>
                <th className="px-4 py-2 font-medium">Signs in with</th>
                {owner && <th className="px-4 py-2 font-medium">Actions</th>}
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
              {users.data.map((u) => (
                <UserRow key={u.id} user={u} owner={owner} onLink={setShown} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function LinkShown({ shown, onDismiss }: { shown: Shown; onDismiss: () => void }) {
  return (
    <ShownOnce title={`Password link for ${shown.email}: pass it on now, it is not shown again.`} testId="password-link" value={shown.link.url} onDismiss={onDismiss}>
      It works once, until {formatDateTime(shown.link.expiresAt)}.{" "}
      {shown.link.emailed ? `It was also e-mailed to ${shown.email}.` : "It was not e-mailed (OSPREY_SMTP_URL is not set, or the mail server refused it)."}
    </ShownOnce>
  );
}

const methodsLabel = (m: string[]) => (m.length ? m.map((x) => (x === "password" ? "password" : `SSO (${x})`)).join(", ") : "link not used yet");

function UserRow({ user, owner, onLink }: { user: UserView; owner: boolean; onLink: (s: Shown) => void }) {
  const me = useViewer();
  const refresh = useRefreshUsers();
  const [error, setError] = useState<string | null>(null);
  const onError = (e: Error) => setError(e.message);
  const role = useMutation({
    mutationFn: (r: Role) => submitJson(`/api/v1/users/${user.id}`, "PATCH", { role: r }),
    onSuccess: () => {
      setError(null);
      refresh();
    },
    onError,
  });
  const remove = useMutation({ mutationFn: () => fetchJson(`/api/v1/users/${user.id}`, { method: "DELETE" }), onSuccess: refresh, onError });
  const link = useMutation({
    mutationFn: () => fetchJson<{ data: PasswordLink }>(`/api/v1/users/${user.id}/password-link`, { method: "POST" }).then((r) => r.data),
    onSuccess: (l) => {
      onLink({ email: user.email, link: l });
      refresh();
    },
    onError,
  });
  return (
    <tr data-testid="user-row" data-email={user.email}>
      <td className="px-4 py-2">
        {user.name}
        {me?.email === user.email && <span className="text-zinc-600 dark:text-zinc-400"> (you)</span>}
      </td>
      <td className="px-4 py-2">{user.email}</td>
      <td className="px-4 py-2">
        {owner ? (
          <select
            className="input"
            aria-label={`Role of ${user.email}`}
            value={user.role}
            disabled={role.isPending}
            onChange={(e) => role.mutate(e.target.value as Role)}
          >
            {ROLES.map((r) => (
              <option key={r} value={r} title={ROLE_GRANTS[r]}>
                {r}
              </option>
            ))}
          </select>
        ) : (
          user.role
        )}
      </td>
      <td className="whitespace-nowrap px-4 py-2" title={user.lastSignInAt ? formatDateTime(user.lastSignInAt) : undefined}>
        {user.lastSignInAt ? formatAgo(user.lastSignInAt) : "never"}
      </td>
      <td className="px-4 py-2">{methodsLabel(user.signInMethods)}</td>
      {owner && (
        <td className="px-4 py-2">
          <div className="flex flex-wrap items-center gap-2">
            <button type="button" className="btn" disabled={link.isPending} onClick={() => link.mutate()}>
              {link.isPending ? "Making link…" : "Reset password"}
              <span className="sr-only"> of {user.email}</span>
            </button>
            <ConfirmRemove name={user.email} confirmLabel={`Remove ${user.email}`} note="Their sessions end." pending={remove.isPending} onConfirm={() => remove.mutate()} />
          </div>
          {error && (
            <p role="alert" className="mt-1 text-sm text-red-700 dark:text-red-400">
              {error}
            </p>
          )}
        </td>
      )}
    </tr>
  );
}

function AddUserForm({ onDone, onCreated }: { onDone: () => void; onCreated: (s: Shown) => void }) {
  const refresh = useRefreshUsers();
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const add = useMutation({
    mutationFn: () => submitJson("/api/v1/users", "POST", { name, email, role }) as Promise<{ data: UserView; link: PasswordLink }>,
    onSuccess: (r) => {
      refresh();
      onCreated({ email: r.data.email, link: r.link });
    },
  });
  const issue = (f: string) => fieldIssue(add.error, f);
  return (
    <form
      aria-label="Add a user"
      className="card mb-3 grid gap-3 p-4 sm:grid-cols-3"
      onSubmit={(e) => {
        e.preventDefault();
        add.mutate();
      }}
    >
      <label className="text-sm">
        <span className="mb-1 block font-medium">Name</span>
        <input className="input w-full" required value={name} onChange={(e) => setName(e.target.value)} />
        {issue("name") && <span className="text-xs text-red-700 dark:text-red-400">{issue("name")}</span>}
      </label>
      <label className="text-sm">
        <span className="mb-1 block font-medium">Email</span>
        <input className="input w-full" type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        {issue("email") && <span className="text-xs text-red-700 dark:text-red-400">{issue("email")}</span>}
      </label>
      <label className="text-sm">
        <span className="mb-1 block font-medium">Role</span>
        <select className="input w-full" value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}: {ROLE_GRANTS[r]}
            </option>
          ))}
        </select>
      </label>
      <p className="text-xs text-zinc-600 dark:text-zinc-400 sm:col-span-3">
        Osprey makes a one-time link (valid 24 hours) with which they set their own password: you see it once to pass on, and it is e-mailed to them when Osprey&apos;s
        mail is set up (OSPREY_SMTP_URL).
      </p>
      {add.isError && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400 sm:col-span-3">
          {add.error.message}
        </p>
      )}
      <FormButtons pending={add.isPending} label="Add user and make link" pendingLabel="Adding…" onCancel={onDone} className="sm:col-span-3" />
    </form>
  );
}
