"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { fieldIssue, FormError, submitJson } from "../hooks/submit-json";
import { FormButtons } from "../ui/form-buttons";

type Method = "default_chain" | "profile" | "assume_role";

export function Field({ id, label, hint, error, children }: { id: string; label: string; hint?: string; error?: string; children: React.ReactNode }) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      {children}
      {error ? (
        <p id={`${id}-error`} className="text-xs text-red-700 dark:text-red-400">
          {error}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="text-xs text-zinc-600 dark:text-zinc-400">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

export function AddAccountForm({ onDone, onCreated }: { onDone: () => void; onCreated?: (firehoseKey: string) => void }) {
  const qc = useQueryClient();
  const [name, setName] = useState("");
  const [regions, setRegions] = useState("us-east-1");
  const [method, setMethod] = useState<Method>("default_chain");
  const [profile, setProfile] = useState("");
  const [roleArn, setRoleArn] = useState("");
  const [externalId, setExternalId] = useState("");
  const create = useMutation({
    mutationFn: () =>
      submitJson("/api/v1/accounts", "POST", {
        name,
        regions: regions.split(/[\s,]+/).filter(Boolean),
        credentialMethod: method,
        profile: method === "profile" ? profile : null,
        roleArn: method === "assume_role" ? roleArn : null,
        externalId: method === "assume_role" && externalId ? externalId : null,
      }),
    onSuccess: (res: unknown) => {
      qc.invalidateQueries({ queryKey: ["accounts"] });
      const key = (res as { data?: { firehoseKey?: unknown } } | null)?.data?.firehoseKey;
      if (typeof key === "string") onCreated?.(key);
      onDone();
    },
  });
  const issues = create.error instanceof FormError ? create.error.issues : [];
  const issue = (p: string) => fieldIssue(create.error, p);
  const describedBy = (id: string, err?: string) => (err ? `${id}-error` : undefined);
  return (
    <form
      className="card grid gap-4 p-5 md:grid-cols-2"
      aria-label="Add an AWS account"
      data-testid="add-account-form"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate();
      }}
    >
      <Field id="acct-name" label="Name" hint="How the account appears in Osprey, e.g. prod" error={issue("name")}>
        <input id="acct-name" className="input" required value={name} onChange={(e) => setName(e.target.value)} aria-invalid={!!issue("name")} aria-describedby={describedBy("acct-name", issue("name"))} />
      </Field>
      <Field id="acct-regions" label="Regions" hint="Comma-separated, e.g. us-east-1, eu-west-1" error={issue("regions")}>
        <input id="acct-regions" className="input" required value={regions} onChange={(e) => setRegions(e.target.value)} aria-invalid={!!issue("regions")} aria-describedby={describedBy("acct-regions", issue("regions"))} />
      </Field>
      <fieldset className="md:col-span-2">
        <legend className="mb-1 text-sm font-medium">Credentials</legend>
        <div className="flex flex-wrap gap-4 text-sm">
          {(
            [
              ["default_chain", "Default credential chain (environment, ~/.aws, instance role)"],
              ["profile", "Named profile"],
              ["assume_role", "Assume role (cross-account)"],
            ] as const
          ).map(([v, l]) => (
            <label key={v} className="flex items-center gap-2">
              <input type="radio" name="method" value={v} checked={method === v} onChange={() => setMethod(v)} />
              {l}
            </label>
          ))}
        </div>
      </fieldset>
      {method === "profile" && (
        <Field id="acct-profile" label="Profile" hint="A profile in ~/.aws/config on the machine running the workers" error={issue("profile")}>
          <input id="acct-profile" className="input" value={profile} onChange={(e) => setProfile(e.target.value)} aria-invalid={!!issue("profile")} aria-describedby={describedBy("acct-profile", issue("profile"))} />
        </Field>
      )}
      {method === "assume_role" && (
        <>
          <Field id="acct-role" label="Role ARN" hint="arn:aws:iam::123456789012:role/OspreyReadOnly" error={issue("roleArn")}>
            <input id="acct-role" className="input font-mono" value={roleArn} onChange={(e) => setRoleArn(e.target.value)} aria-invalid={!!issue("roleArn")} aria-describedby={describedBy("acct-role", issue("roleArn"))} />
          </Field>
          <Field id="acct-external" label="External id (optional)" hint="Required when the role's trust policy asks for one; never shown again" error={issue("externalId")}>
            <input id="acct-external" className="input font-mono" type="password" autoComplete="off" value={externalId} onChange={(e) => setExternalId(e.target.value)} aria-invalid={!!issue("externalId")} />
          </Field>
        </>
      )}
      {create.isError && issues.length === 0 && (
        <p role="alert" className="text-sm text-red-700 md:col-span-2 dark:text-red-400">
          Could not add the account: {create.error.message}
        </p>
      )}
      <FormButtons pending={create.isPending} label="Add account" pendingLabel="Adding…" onCancel={onDone} />
    </form>
  );
}
