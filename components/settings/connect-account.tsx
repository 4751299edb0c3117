"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { OnboardingView as Onboarding } from "@/lib/api/schemas/onboarding";
import { cliDeployCommands, quickCreateUrl, stackSetCommands } from "@/lib/aws/onboarding-template";
import { fetchJson } from "../hooks/fetch-json";
import { submitJson } from "../hooks/submit-json";
import { Code } from "../ui/states";
import { ConnectionResultView, type ConnectionResult } from "./connection-result";

const PRINCIPAL_SOURCE: Record<string, string> = {
  configured: "set by OSPREY_AWS_PRINCIPAL",
  credentials: "the identity of Osprey's own AWS credentials",
  sandbox: "the sandbox's identity: Osprey has no AWS credentials here; set OSPREY_AWS_PRINCIPAL before connecting a real account",
};

function Commands({ lines, label }: { lines: string[]; label: string }) {
  return (
    <pre aria-label={label} className="mt-2 overflow-x-auto rounded bg-zinc-100 p-3 text-xs whitespace-pre-wrap break-all dark:bg-zinc-900">
      {lines.join("\n\n")}
    </pre>
  );
}

function Step({ n, title, children }: { n: number; title: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={`connect-step-${n}`} className="flex flex-col gap-2">
      <h3 id={`connect-step-${n}`} className="text-sm font-semibold">
        {n}. {title}
      </h3>
      {children}
    </section>
  );
}

/**
 * "Connect an AWS account": a CloudFormation template for a read-only role with a fresh ExternalId,
 * the ways to deploy it, then Verify (AssumeRole and a probe per permission) before the account is added.
 */
export function ConnectAccount({ onDone, onCreated }: { onDone: () => void; onCreated?: (firehoseKey: string) => void }) {
  const qc = useQueryClient();
  const [region, setRegion] = useState("us-east-1");
  const start = useMutation({ mutationFn: (r: string) => fetchJson<{ data: Onboarding }>("/api/v1/onboarding", { method: "POST", body: JSON.stringify({ region: r }) }).then((x) => x.data) });
  const startMutate = start.mutate;
  useEffect(() => startMutate("us-east-1"), [startMutate]);
  const o = start.data;

  const [templateUrl, setTemplateUrl] = useState("");
  const [shown, setShown] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [regions, setRegions] = useState("us-east-1");
  const [roleArn, setRoleArn] = useState("");

  const view = useMutation({ mutationFn: async (url: string) => (await fetch(url)).text(), onSuccess: setShown });
  const sandboxDeploy = useMutation({
    mutationFn: () => fetchJson<{ data: { roleArn: string } }>("/api/v1/sandbox/stacks", { method: "POST", body: JSON.stringify({ externalId: o!.externalId }) }),
    onSuccess: (r) => setRoleArn(r.data.roleArn),
  });
  const verify = useMutation({
    mutationFn: () =>
      fetchJson<{ data: ConnectionResult }>("/api/v1/onboarding/verify", { method: "POST", body: JSON.stringify({ roleArn: roleArn.trim(), externalId: o!.externalId, region: regions.split(/[\s,]+/).filter(Boolean)[0] ?? region }) }).then((r) => r.data),
  });
  const add = useMutation({
    mutationFn: () =>
      submitJson("/api/v1/accounts", "POST", {
        name,
        regions: regions.split(/[\s,]+/).filter(Boolean),
        credentialMethod: "assume_role",
        roleArn: roleArn.trim(),
        externalId: o!.externalId,
        awsAccountId: verify.data?.awsAccountId ?? null,
      }),
    onSuccess: (res: unknown) => {
      qc.invalidateQueries({ queryKey: ["accounts"] });
      const key = (res as { data?: { firehoseKey?: unknown } } | null)?.data?.firehoseKey;
      if (typeof key === "string") onCreated?.(key);
      onDone();
    },
  });
  // A role deployed in the sandbox is for trying the flow: its account is the sandbox's, connected already.
  const inSandbox = (verify.data as { sandbox?: boolean } | undefined)?.sandbox === true;
  const verified = verify.data?.ok === true && !verify.isPending && !inSandbox;

  if (start.isError) return <p role="alert" className="card p-5 text-sm text-red-700 dark:text-red-400">Could not start: {start.error.message}</p>;
  if (!o) return <p className="card p-5 text-sm">Generating an external id…</p>;
  const deploy = { principalArn: o.principal.arn ?? "OSPREY-PRINCIPAL-ARN", externalId: o.externalId, region, stackName: o.stackName };
  const link = quickCreateUrl({ ...deploy, templateUrl: templateUrl || undefined });

  return (
    <div className="card flex flex-col gap-6 p-5" data-testid="connect-account">
      <Step n={1} title="Create a read-only role in the account">
        <p className="text-sm">
          The template creates the role <Code>OspreyReadOnly</Code> with exactly the read-only actions listed in the README, trusted only by{" "}
          {o.principal.arn ? <Code>{o.principal.arn}</Code> : "Osprey's principal"}
          {o.principal.source ? ` (${PRINCIPAL_SOURCE[o.principal.source]})` : ""} and only with this external id:
        </p>
        <p className="font-mono text-sm" data-testid="external-id">
          {o.externalId}
        </p>
        {o.principal.error && (
          <p role="alert" className="text-sm text-red-700 dark:text-red-400">
            {o.principal.error}
          </p>
        )}
        <div className="flex flex-wrap gap-2">
          <a className="btn" href={o.templateUrls.yaml} download={o.templateFile}>
            Download template (YAML)
          </a>
          <a className="btn" href={o.templateUrls.json} download={o.templateFile.replace(/\.yaml$/, ".json")}>
            Download template (JSON)
          </a>
          <button type="button" className="btn" onClick={() => (shown ? setShown(null) : view.mutate(o.templateUrls.yaml))}>
            {shown ? "Hide template" : "View template"}
          </button>
          {o.sandbox && (
            <button type="button" className="btn" onClick={() => sandboxDeploy.mutate()} disabled={sandboxDeploy.isPending}>
              {sandboxDeploy.isPending ? "Deploying…" : "Deploy to the sandbox"}
            </button>
          )}
        </div>
        {sandboxDeploy.isError && <p className="text-sm text-red-700 dark:text-red-400">Could not deploy to the sandbox: {sandboxDeploy.error.message}</p>}
        {shown && (
          <pre aria-label="CloudFormation template" data-testid="template-text" className="max-h-80 overflow-auto rounded bg-zinc-100 p-3 text-xs dark:bg-zinc-900">
            {shown}
          </pre>
        )}
        <label className="flex max-w-xs flex-col gap-1 text-sm">
          <span className="font-medium">Region to create the stack in</span>
          <input className="input" value={region} onChange={(e) => setRegion(e.target.value)} />
        </label>
        <details className="text-sm">
          <summary className="cursor-pointer font-medium">In the AWS console (quick-create link)</summary>
          <p className="mt-2">
            The console creates a stack from a template at an https URL: upload the template to an S3 bucket (<Code>aws s3 cp {o.templateFile} s3://YOUR-BUCKET/</Code>), paste
            its URL, then open the link, tick the IAM acknowledgement and create the stack.
          </p>
          <label className="mt-2 flex flex-col gap-1">
            <span>Template URL</span>
            <input className="input font-mono" placeholder={`https://YOUR-BUCKET.s3.amazonaws.com/${o.templateFile}`} value={templateUrl} onChange={(e) => setTemplateUrl(e.target.value)} />
          </label>
          <p className="mt-2 break-all">
            <a className="text-sky-700 underline dark:text-sky-400" href={link} target="_blank" rel="noreferrer" data-testid="quick-create-link">
              Open quick-create in the CloudFormation console
            </a>
          </p>
        </details>
        <details className="text-sm">
          <summary className="cursor-pointer font-medium">With the AWS CLI</summary>
          <p className="mt-2">In the folder holding the downloaded template, with credentials of the account to monitor:</p>
          <Commands lines={cliDeployCommands(deploy)} label="AWS CLI commands" />
        </details>
        <details className="text-sm">
          <summary className="cursor-pointer font-medium">Every account of an AWS Organization (StackSets)</summary>
          <p className="mt-2">
            From the management account (or a delegated administrator, adding <Code>--call-as DELEGATED_ADMIN</Code>), with trusted access for StackSets turned on: a
            service-managed StackSet creates the role in every account of the organizational units named (replace <Code>r-xxxx</Code> with your root or OU ids), and in
            accounts that join them later. The management account itself is not included. Then add each account here with its role ARN and this external id.
          </p>
          <Commands lines={stackSetCommands(deploy)} label="StackSet commands" />
        </details>
      </Step>

      <Step n={2} title="Verify the role and add the account">
        <form
          className="grid gap-3 md:grid-cols-2"
          aria-label="Verify the role"
          onSubmit={(e) => {
            e.preventDefault();
            verify.mutate();
          }}
        >
          <label className="flex flex-col gap-1 text-sm">
            <span className="font-medium">Name</span>
            <input className="input" required value={name} onChange={(e) => setName(e.target.value)} placeholder="prod" />
          </label>
          <label className="flex flex-col gap-1 text-sm">
            <span className="font-medium">Regions</span>
            <input className="input" required value={regions} onChange={(e) => setRegions(e.target.value)} />
          </label>
          <label className="flex flex-col gap-1 text-sm md:col-span-2">
            <span className="font-medium">Role ARN (the stack&apos;s RoleArn output)</span>
            <input className="input font-mono" required value={roleArn} onChange={(e) => setRoleArn(e.target.value)} placeholder="arn:aws:iam::123456789012:role/OspreyReadOnly" />
          </label>
          <div className="flex gap-2 md:col-span-2">
            <button type="submit" className="btn" disabled={verify.isPending}>
              {verify.isPending ? "Verifying…" : "Verify"}
            </button>
            <button type="button" className="btn-primary" disabled={!verified || add.isPending || !name} onClick={() => add.mutate()}>
              {add.isPending ? "Adding…" : "Add account"}
            </button>
            <button type="button" className="btn" onClick={onDone}>
              Cancel
            </button>
          </div>
        </form>
        <div aria-live="polite">
          {verify.data && <ConnectionResultView result={verify.data} okLabel="Role assumed" />}
          {verify.data?.ok && inSandbox && (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">This role is in the sandbox, whose account is connected already: deploy the template in a real account to add it.</p>
          )}
          {verify.isError && <p className="text-sm text-red-700 dark:text-red-400">Could not verify: {verify.error.message}</p>}
          {add.isError && <p className="text-sm text-red-700 dark:text-red-400">Could not add the account: {add.error.message}</p>}
        </div>
      </Step>
    </div>
  );
}
