"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { SsoConfigView, SsoDiscoveryResult } from "@/lib/api/schemas/sso";
import { ROLES, type Role } from "@/lib/auth/roles";
import { fetchJson } from "../hooks/fetch-json";
import { fieldIssue, submitJson } from "../hooks/submit-json";
import { Code, ErrorState, SkeletonRows } from "../ui/states";
import { Field } from "./add-account-form";

const URL = "/api/v1/settings/sso";
const KEY = ["settings", "sso"];
const REFUSE = "refuse";

interface Draft {
  enabled: boolean;
  name: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes: string;
  roleClaim: string;
  rules: { value: string; role: Role }[];
  defaultRole: Role | typeof REFUSE;
}

const toDraft = (v: SsoConfigView): Draft => ({
  enabled: v.configured ? v.enabled : true,
  name: v.name,
  issuer: v.issuer,
  clientId: v.clientId,
  clientSecret: "",
  scopes: v.scopes,
  roleClaim: v.roleClaim,
  rules: v.rules.length > 0 ? v.rules : [{ value: "", role: "viewer" }],
  defaultRole: v.defaultRole ?? REFUSE,
});

function SsoForm({ view }: { view: SsoConfigView }) {
  const qc = useQueryClient();
  const [d, setD] = useState<Draft>(() => toDraft(view));
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setD((old) => ({ ...old, [k]: v }));
  const fixed = view.source === "env";
  const save = useMutation({
    mutationFn: () =>
      submitJson(URL, "PUT", {
        enabled: d.enabled,
        name: d.name,
        issuer: d.issuer,
        clientId: d.clientId,
        ...(d.clientSecret ? { clientSecret: d.clientSecret } : {}),
        scopes: d.scopes,
        roleClaim: d.roleClaim,
        rules: d.rules.filter((r) => r.value.trim() !== ""),
        defaultRole: d.defaultRole === REFUSE ? null : d.defaultRole,
      }) as Promise<{ data: SsoConfigView }>,
    onSuccess: (res) => {
      qc.setQueryData(KEY, res.data);
      setD((old) => ({ ...old, clientSecret: "" }));
    },
  });
  const discovery = useMutation({
    mutationFn: () => fetchJson<{ data: SsoDiscoveryResult }>(`${URL}/discovery`, { method: "POST", body: JSON.stringify(d.issuer ? { issuer: d.issuer } : {}) }).then((r) => r.data),
  });
  const issue = (path: string) => fieldIssue(save.error, path);
  const shown = save.data?.data ?? view;
  return (
    <form
      className="card grid gap-4 p-5 md:grid-cols-2"
      aria-label="Single sign-on"
      data-testid="sso-form"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <div className="md:col-span-2 text-sm">
        <p>
          Register Osprey at your identity provider (Okta, Entra ID, Google, Keycloak…) as a web application with this redirect URI:{" "}
          <span data-testid="sso-redirect-uri">
            <Code>{view.redirectUri}</Code>
          </span>
        </p>
        {fixed && (
          <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">
            Set by <Code>OSPREY_OIDC_ISSUER</Code> and the other <Code>OSPREY_OIDC_*</Code> variables in Osprey&apos;s environment: change them there, or unset them to edit here.
          </p>
        )}
      </div>
      <fieldset disabled={fixed} className="contents">
        <label className="flex items-center gap-2 text-sm font-medium md:col-span-2">
          <input type="checkbox" checked={d.enabled} onChange={(e) => set("enabled", e.target.checked)} />
          Offer “Sign in with {d.name || "…"}” on the sign-in page
        </label>
        <Field id="sso-name" label="Button name" hint="Sign in with <name>" error={issue("name")}>
          <input id="sso-name" className="input" required value={d.name} onChange={(e) => set("name", e.target.value)} placeholder="Okta" />
        </Field>
        <Field id="sso-issuer" label="Issuer URL" hint="Its /.well-known/openid-configuration is read for the endpoints and keys" error={issue("issuer")}>
          <div className="flex gap-2">
            <input id="sso-issuer" className="input flex-1 font-mono" required value={d.issuer} onChange={(e) => set("issuer", e.target.value)} placeholder="https://example.okta.com" />
            <button type="button" className="btn" onClick={() => discovery.mutate()} disabled={discovery.isPending || !d.issuer}>
              {discovery.isPending ? "Testing…" : "Test discovery"}
            </button>
          </div>
        </Field>
        <Field id="sso-client-id" label="Client id" error={issue("clientId")}>
          <input id="sso-client-id" className="input font-mono" required value={d.clientId} onChange={(e) => set("clientId", e.target.value)} />
        </Field>
        <Field id="sso-client-secret" label="Client secret" hint={shown.clientSecret ? `Stored (${shown.clientSecret}), encrypted; leave empty to keep it` : "Encrypted at rest, never shown again"} error={issue("clientSecret")}>
          <input id="sso-client-secret" className="input font-mono" type="password" autoComplete="off" value={d.clientSecret} onChange={(e) => set("clientSecret", e.target.value)} />
        </Field>
        <Field id="sso-scopes" label="Scopes" hint="Space-separated; add groups if your IdP sends groups only for that scope" error={issue("scopes")}>
          <input id="sso-scopes" className="input font-mono" value={d.scopes} onChange={(e) => set("scopes", e.target.value)} />
        </Field>
        <Field id="sso-claim" label="Claim with groups or roles" hint="groups (Okta, Entra ID), roles (Entra ID app roles), realm_access.roles (Keycloak)" error={issue("roleClaim")}>
          <input id="sso-claim" className="input font-mono" value={d.roleClaim} onChange={(e) => set("roleClaim", e.target.value)} />
        </Field>
        <div className="md:col-span-2">
          <p className="mb-2 text-sm font-medium">Claim value → role (the highest role of the values that match; set at every sign-in)</p>
          <ul className="flex flex-col gap-2" data-testid="sso-rules">
            {d.rules.map((r, i) => (
              <li key={i} className="flex gap-2">
                <input
                  aria-label={`Claim value ${i + 1}`}
                  className="input flex-1 font-mono"
                  value={r.value}
                  onChange={(e) => set("rules", d.rules.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))}
                  placeholder="osprey-admins"
                />
                <select aria-label={`Role for claim value ${i + 1}`} className="input" value={r.role} onChange={(e) => set("rules", d.rules.map((x, j) => (j === i ? { ...x, role: e.target.value as Role } : x)))}>
                  {ROLES.map((role) => (
                    <option key={role}>{role}</option>
                  ))}
                </select>
                <button type="button" className="btn" aria-label={`Remove rule ${i + 1}`} onClick={() => set("rules", d.rules.filter((_, j) => j !== i))}>
                  Remove
                </button>
              </li>
            ))}
          </ul>
          <button type="button" className="btn mt-2" onClick={() => set("rules", [...d.rules, { value: "", role: "viewer" }])}>
            Add rule
          </button>
          {issue("rules") && <p className="mt-1 text-xs text-red-700 dark:text-red-400">{issue("rules")}</p>}
        </div>
        <Field id="sso-default" label="When no rule matches" hint="Google sends no groups: give everyone a role here (and restrict who may sign in at the IdP)">
          <select id="sso-default" className="input" value={d.defaultRole} onChange={(e) => set("defaultRole", e.target.value as Draft["defaultRole"])}>
            <option value={REFUSE}>refuse sign-in</option>
            {ROLES.map((role) => (
              <option key={role} value={role}>
                sign in as {role}
              </option>
            ))}
          </select>
        </Field>
      </fieldset>
      {discovery.data && (
        <p role="status" className={`text-sm md:col-span-2 ${discovery.data.ok ? "text-emerald-700 dark:text-emerald-400" : "text-red-700 dark:text-red-400"}`} data-testid="sso-discovery">
          {discovery.data.ok ? `Discovery works: authorization at ${discovery.data.authorizationEndpoint}, tokens at ${discovery.data.tokenEndpoint}.` : discovery.data.error}
        </p>
      )}
      {discovery.isError && (
        <p role="alert" className="text-sm text-red-700 md:col-span-2 dark:text-red-400">
          Could not test discovery: {discovery.error.message}
        </p>
      )}
      {save.isError && (
        <p role="alert" className="text-sm text-red-700 md:col-span-2 dark:text-red-400">
          Could not save: {save.error.message}
        </p>
      )}
      {save.isSuccess && (
        <p role="status" className="text-sm text-emerald-700 md:col-span-2 dark:text-emerald-400" data-testid="sso-saved">
          Saved. {shown.enabled ? `The sign-in page offers “Sign in with ${shown.name}”.` : "Single sign-on is off."}
        </p>
      )}
      {!fixed && (
        <div className="md:col-span-2">
          <button type="submit" className="btn-primary" disabled={save.isPending}>
            {save.isPending ? "Saving…" : "Save single sign-on"}
          </button>
        </div>
      )}
    </form>
  );
}

/** Settings → Single sign-on: the owner's OpenID Connect configuration. */
export function SsoSection() {
  const state = useQuery({ queryKey: KEY, queryFn: () => fetchJson<{ data: SsoConfigView }>(URL).then((r) => r.data) });
  return (
    <section aria-labelledby="sso-heading" className="mt-8">
      <h2 id="sso-heading" className="mb-3 text-sm font-semibold uppercase tracking-wide text-zinc-600 dark:text-zinc-400">
        Single sign-on
      </h2>
      {state.isPending ? <SkeletonRows rows={2} /> : state.isError ? <ErrorState error={state.error} /> : <SsoForm view={state.data} />}
    </section>
  );
}
