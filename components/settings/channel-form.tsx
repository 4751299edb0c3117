"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { ChannelView } from "../hooks/use-channels-query";
import { fieldIssue, FormError, submitJson } from "../hooks/submit-json";
import { FormButtons } from "../ui/form-buttons";

type Kind = ChannelView["kind"];

interface FieldSpec {
  key: string;
  label: string;
  hint?: string;
  secret?: boolean;
  type?: "text" | "number" | "select";
  options?: string[];
  placeholder?: string;
  mono?: boolean;
}

const KIND_LABEL: Record<Kind, string> = { slack: "Slack", email: "E-mail (SMTP)", webhook: "Webhook", pagerduty: "PagerDuty", sns: "Amazon SNS" };

const FIELDS: Record<Kind, FieldSpec[]> = {
  slack: [{ key: "webhookUrl", label: "Incoming webhook URL", secret: true, hint: "From your Slack app's Incoming Webhooks page", placeholder: "https://hooks.slack.com/services/…", mono: true }],
  email: [
    { key: "host", label: "SMTP host", placeholder: "smtp.example.com" },
    { key: "port", label: "Port", type: "number", placeholder: "587" },
    { key: "tls", label: "TLS", type: "select", options: ["starttls", "tls", "none"], hint: "starttls on 587, tls on 465, none for a relay on this machine" },
    { key: "username", label: "Username (optional)" },
    { key: "password", label: "Password (optional)", secret: true },
    { key: "from", label: "From", placeholder: "osprey@example.com" },
    { key: "to", label: "To", hint: "Comma-separated addresses", placeholder: "oncall@example.com" },
  ],
  webhook: [
    { key: "url", label: "URL", placeholder: "https://example.com/osprey-hook", mono: true },
    { key: "signingSecret", label: "Signing secret", secret: true, hint: "At least 16 characters; your receiver verifies X-Osprey-Signature with it (README)", mono: true },
  ],
  pagerduty: [
    { key: "routingKey", label: "Integration (routing) key", secret: true, hint: "32 characters, from an Events API v2 integration of the service", mono: true },
    { key: "eventsUrl", label: "Events API URL (optional)", hint: "EU service region: https://events.eu.pagerduty.com/v2/enqueue", mono: true },
  ],
  sns: [
    { key: "topicArn", label: "Topic ARN", placeholder: "arn:aws:sns:us-east-1:123456789012:alerts", mono: true },
    { key: "accountId", label: "Publish as account (id, optional)", type: "number", hint: "An Osprey account whose credentials publish; empty: the workers' own AWS credentials" },
  ],
};

function initial(channel: ChannelView | undefined, kind: Kind): Record<string, string> {
  const out: Record<string, string> = { rateLimitPerMinute: "10" };
  if (!channel) return kind === "email" ? { ...out, port: "587", tls: "starttls" } : out;
  for (const [k, v] of Object.entries(channel.config)) out[k] = Array.isArray(v) ? v.join(", ") : v === null || v === undefined ? "" : String(v);
  return out;
}

function randomSecret(): string {
  const bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  return `whsec_${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

export function ChannelForm({ channel, onDone }: { channel?: ChannelView; onDone: () => void }) {
  const qc = useQueryClient();
  const [name, setName] = useState(channel?.name ?? "");
  const [kind, setKind] = useState<Kind>(channel?.kind ?? "slack");
  const [values, setValues] = useState<Record<string, string>>(() => initial(channel, channel?.kind ?? "slack"));
  const set = (k: string, v: string) => setValues((s) => ({ ...s, [k]: v }));
  const save = useMutation({
    mutationFn: () => {
      const body: Record<string, unknown> = { name };
      for (const f of FIELDS[kind]) {
        const v = values[f.key]?.trim() ?? "";
        if (v === "") continue;
        body[f.key] = f.key === "to" ? v.split(/[\s,]+/).filter(Boolean) : f.type === "number" ? Number(v) : v;
      }
      if (kind !== "pagerduty" && values.rateLimitPerMinute) body.rateLimitPerMinute = Number(values.rateLimitPerMinute);
      return channel ? submitJson(`/api/v1/channels/${channel.id}`, "PATCH", body) : submitJson("/api/v1/channels", "POST", { ...body, kind });
    },
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ["channels"] });
      onDone();
    },
  });
  const issues = save.error instanceof FormError ? save.error.issues : [];
  const issue = (p: string) => fieldIssue(save.error, p);
  const id = (k: string) => `channel-${channel?.id ?? "new"}-${k}`;
  return (
    <form
      className="card grid gap-4 p-5 md:grid-cols-2"
      aria-label={channel ? `Edit channel ${channel.name}` : "Add a notification channel"}
      data-testid="channel-form"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <div className="flex flex-col gap-1">
        <label htmlFor={id("name")} className="text-sm font-medium">
          Name
        </label>
        <input id={id("name")} className="input" required value={name} onChange={(e) => setName(e.target.value)} aria-invalid={!!issue("name")} />
        {issue("name") && <p className="text-xs text-red-700 dark:text-red-400">{issue("name")}</p>}
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor={id("kind")} className="text-sm font-medium">
          Kind
        </label>
        <select
          id={id("kind")}
          className="input"
          value={kind}
          disabled={!!channel}
          onChange={(e) => {
            const k = e.target.value as Kind;
            setKind(k);
            setValues(initial(undefined, k));
          }}
        >
          {(Object.keys(KIND_LABEL) as Kind[]).map((k) => (
            <option key={k} value={k}>
              {KIND_LABEL[k]}
            </option>
          ))}
        </select>
      </div>
      {FIELDS[kind].map((f) => {
        const masked = channel?.secrets[f.key];
        const err = issue(f.key);
        return (
          <div key={f.key} className="flex flex-col gap-1">
            <label htmlFor={id(f.key)} className="text-sm font-medium">
              {f.label}
            </label>
            {f.type === "select" ? (
              <select id={id(f.key)} className="input" value={values[f.key] ?? ""} onChange={(e) => set(f.key, e.target.value)}>
                {f.options!.map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </select>
            ) : (
              <div className="flex gap-2">
                <input
                  id={id(f.key)}
                  className={`input flex-1 ${f.mono ? "font-mono" : ""}`}
                  type={f.secret ? "password" : f.type === "number" ? "number" : "text"}
                  autoComplete="off"
                  placeholder={f.secret && masked ? `unchanged (${masked})` : f.placeholder}
                  value={values[f.key] ?? ""}
                  onChange={(e) => set(f.key, e.target.value)}
                  aria-invalid={!!err}
                  aria-describedby={err || f.hint ? `${id(f.key)}-note` : undefined}
                />
                {f.key === "signingSecret" && (
                  <button type="button" className="btn" onClick={() => set(f.key, randomSecret())}>
                    Generate
                  </button>
                )}
              </div>
            )}
            {err ? (
              <p id={`${id(f.key)}-note`} className="text-xs text-red-700 dark:text-red-400">
                {err}
              </p>
            ) : f.hint ? (
              <p id={`${id(f.key)}-note`} className="text-xs text-zinc-600 dark:text-zinc-400">
                {f.hint}
                {f.key === "signingSecret" && values.signingSecret ? " — copy it now: it is never shown again." : ""}
              </p>
            ) : null}
          </div>
        );
      })}
      {kind !== "pagerduty" && (
        <div className="flex flex-col gap-1">
          <label htmlFor={id("rate")} className="text-sm font-medium">
            Messages per minute at most
          </label>
          <input id={id("rate")} className="input" type="number" min={1} max={600} value={values.rateLimitPerMinute ?? ""} onChange={(e) => set("rateLimitPerMinute", e.target.value)} aria-describedby={`${id("rate")}-note`} />
          <p id={`${id("rate")}-note`} className="text-xs text-zinc-600 dark:text-zinc-400">
            A burst beyond it arrives as one digest message.
          </p>
        </div>
      )}
      {save.isError && issues.length === 0 && (
        <p role="alert" className="text-sm text-red-700 md:col-span-2 dark:text-red-400">
          Could not save the channel: {save.error.message}
        </p>
      )}
      <FormButtons pending={save.isPending} label={channel ? "Save channel" : "Add channel"} pendingLabel="Saving…" onCancel={onDone} />
    </form>
  );
}

export { KIND_LABEL };
