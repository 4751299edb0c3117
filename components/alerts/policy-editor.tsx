"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { ALERT_SEVERITIES } from "@/lib/analysis/alerts/notice";
import { SCOPE_KINDS } from "@/lib/analysis/alerts/scope";
import { FormError, fieldIssue, submitJson } from "../hooks/submit-json";
import { useAccountsQuery } from "../hooks/use-accounts-query";
import { useChannelsQuery } from "../hooks/use-channels-query";
import { BacktestPanel, type BacktestState } from "./backtest-panel";
import { kindGroups, kindInfo, SEVERITY_RANKS, toDisplay, toStored, unitSuffix } from "./catalogue";
import { ResourcePicker } from "./resource-picker";
import { runBacktest, type PolicyView } from "./use-alerts";

const SCOPE_LABEL: Record<string, string> = { all: "Everything", account: "An account", region: "A region", tag: "A tag", resources: "Chosen resources" };

interface Draft {
  name: string;
  conditionKind: string;
  threshold: string;
  criticalThreshold: string;
  windowMinutes: string;
  minInvocations: string;
  severity: string;
  scopeKind: string;
  accountId: string;
  region: string;
  tagKey: string;
  tagValue: string;
  resources: { id: number; name: string }[];
  channelIds: number[];
  resolveAfterMinutes: string;
  flapMinutes: string;
}

function draftOf(p: PolicyView | undefined, names: Map<number, string>): Draft {
  const kind = p?.conditionKind ?? "error_rate";
  const unit = kindInfo(kind).unit;
  return {
    name: p?.name ?? "",
    conditionKind: kind,
    threshold: p ? String(toDisplay(unit, p.threshold)) : unit === "percent" ? "5" : "",
    criticalThreshold: p?.criticalThreshold != null ? String(toDisplay(unit, p.criticalThreshold)) : "",
    windowMinutes: String(p?.windowMinutes ?? 10),
    minInvocations: String(p?.minInvocations ?? 10),
    severity: p?.severity ?? "warning",
    scopeKind: p?.scopeKind ?? "all",
    accountId: p?.accountId != null ? String(p.accountId) : "",
    region: p?.region ?? "",
    tagKey: p?.tagKey ?? "",
    tagValue: p?.tagValue ?? "",
    resources: (p?.resourceIds ?? []).map((id) => ({ id, name: names.get(id) ?? `#${id}` })),
    channelIds: p?.channelIds ?? [],
    resolveAfterMinutes: String(p?.resolveAfterMinutes ?? 5),
    flapMinutes: String(p?.flapMinutes ?? 10),
  };
}

/** A typed number; empty stays empty (null) so the API names the field when it needs one. */
const num = (s: string): number | null => (s.trim() === "" || !Number.isFinite(Number(s)) ? null : Number(s));

/** The policy as the API takes it (PolicyInput): percent typed as 5 is stored as 0.05. */
export function bodyOf(d: Draft): Record<string, unknown> {
  const k = kindInfo(d.conditionKind);
  // Kinds that fire on the window alone take threshold 0 (the API's rule).
  const threshold = k.hasThreshold ? num(d.threshold) : 0;
  const critical = k.hasThreshold ? num(d.criticalThreshold) : null;
  return {
    name: d.name.trim(),
    conditionKind: d.conditionKind,
    threshold: threshold === null ? null : toStored(k.unit, threshold),
    criticalThreshold: critical === null ? null : toStored(k.unit, critical),
    windowMinutes: num(d.windowMinutes),
    minInvocations: k.usesMinInvocations ? num(d.minInvocations) : 0,
    severity: d.severity,
    scopeKind: d.scopeKind,
    accountId: d.scopeKind === "account" ? num(d.accountId) : null,
    region: d.scopeKind === "region" ? d.region.trim() || null : null,
    tagKey: d.scopeKind === "tag" ? d.tagKey.trim() || null : null,
    tagValue: d.scopeKind === "tag" ? d.tagValue : null,
    resourceIds: d.scopeKind === "resources" ? d.resources.map((r) => r.id) : [],
    channelIds: d.channelIds,
    resolveAfterMinutes: num(d.resolveAfterMinutes),
    flapMinutes: num(d.flapMinutes),
  };
}

/** Worth a backtest: the numbers it needs are there. */
function backtestable(b: Record<string, unknown>): boolean {
  return b.threshold !== null && b.windowMinutes !== null && b.minInvocations !== null && b.resolveAfterMinutes !== null && b.flapMinutes !== null;
}

const labelCls = "text-sm font-medium";
const hintCls = "text-xs text-zinc-600 dark:text-zinc-400";
const errCls = "text-xs text-red-700 dark:text-red-400";

export function PolicyEditor({ policy, resourceNames }: { policy?: PolicyView; resourceNames?: Map<number, string> }) {
  const router = useRouter();
  const qc = useQueryClient();
  const uid = useId();
  const id = (k: string) => `${uid}-${k}`;
  const channels = useChannelsQuery();
  const accounts = useAccountsQuery();
  const [d, setD] = useState<Draft>(() => draftOf(policy, resourceNames ?? new Map()));
  // Fields edited since the last refusal: their server message is stale and no longer shown.
  const [edited, setEdited] = useState<ReadonlySet<string>>(new Set());
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => {
    setD((s) => ({ ...s, [k]: v }));
    setEdited((e) => new Set(e).add(k === "resources" ? "resourceIds" : k));
  };
  const info = kindInfo(d.conditionKind);
  const body = useMemo(() => bodyOf(d), [d]);

  const save = useMutation({
    mutationFn: () => {
      const out = { ...body };
      return policy ? submitJson(`/api/v1/alert-policies/${policy.id}`, "PATCH", out) : submitJson("/api/v1/alert-policies", "POST", out);
    },
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ["alert-policies"] });
      router.push("/alerts");
    },
  });
  const issues = (save.error instanceof FormError ? save.error.issues : []).filter((i) => !edited.has(i.path.split(".")[0]));
  const issue = (p: string) => (edited.has(p) ? undefined : fieldIssue(save.error, p));
  const known = ["name", "conditionKind", "threshold", "criticalThreshold", "windowMinutes", "minInvocations", "severity", "scopeKind", "accountId", "region", "tagKey", "tagValue", "resourceIds", "channelIds", "resolveAfterMinutes", "flapMinutes"];
  const otherIssues = issues.filter((i) => !known.some((k) => i.path === k || i.path.startsWith(`${k}.`)));

  // Backtest: on the button, and by itself once edits have settled for a moment.
  const [bt, setBt] = useState<BacktestState>({ status: "idle" });
  const abort = useRef<AbortController | null>(null);
  const run = (b: Record<string, unknown>) => {
    abort.current?.abort();
    const ac = (abort.current = new AbortController());
    const payload: Record<string, unknown> = { ...b };
    if (!payload.name) delete payload.name;
    setBt((s) => ({ status: "running", previous: s.status === "done" ? s.outcome : s.status === "running" ? s.previous : undefined }));
    runBacktest(payload, ac.signal).then(
      (outcome) => !ac.signal.aborted && setBt({ status: "done", outcome }),
      (err: unknown) => !ac.signal.aborted && setBt({ status: "done", outcome: { kind: "error", message: err instanceof Error ? err.message : String(err) } }),
    );
  };
  const key = JSON.stringify({ ...body, name: undefined });
  useEffect(() => {
    if (!backtestable(body)) return;
    const t = setTimeout(() => run(body), 1200);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- re-run when the policy's content changes, not the name
  }, [key]);
  useEffect(() => () => abort.current?.abort(), []);

  const regions = [...new Set((accounts.data ?? []).flatMap((a) => a.regions))].sort();
  const note = (k: string, hint?: React.ReactNode) => {
    const err = issue(k);
    return err ? (
      <p id={id(`${k}-note`)} className={errCls}>
        {err}
      </p>
    ) : hint ? (
      <p id={id(`${k}-note`)} className={hintCls}>
        {hint}
      </p>
    ) : null;
  };
  const described = (k: string, hint?: unknown) => (issue(k) || hint ? id(`${k}-note`) : undefined);
  const suffix = unitSuffix(info.unit);

  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
      <form
        className="card grid gap-5 p-5"
        aria-label={policy ? `Edit policy ${policy.name}` : "New alert policy"}
        data-testid="policy-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setEdited(new Set());
          save.mutate();
        }}
      >
        <div className="flex flex-col gap-1">
          <label htmlFor={id("name")} className={labelCls}>
            Name
          </label>
          <input id={id("name")} className="input" value={d.name} onChange={(e) => set("name", e.target.value)} aria-invalid={!!issue("name")} aria-describedby={described("name")} />
          {note("name")}
        </div>

        <fieldset className="grid gap-4 md:grid-cols-2">
          <legend className="mb-2 text-sm font-semibold uppercase tracking-wide text-zinc-600 dark:text-zinc-400">When it fires</legend>
          <div className="flex flex-col gap-1 md:col-span-2">
            <label htmlFor={id("conditionKind")} className={labelCls}>
              Condition
            </label>
            <select
              id={id("conditionKind")}
              className="input"
              value={d.conditionKind}
              onChange={(e) => {
                const next = kindInfo(e.target.value);
                const prev = info;
                setEdited((x) => new Set(x).add("conditionKind"));
                setD((s) => ({
                  ...s,
                  conditionKind: next.kind,
                  // A new unit makes the old numbers meaningless.
                  threshold: next.unit === prev.unit ? s.threshold : "",
                  criticalThreshold: next.unit === prev.unit ? s.criticalThreshold : "",
                  resources: next.resourceKind === prev.resourceKind ? s.resources : [],
                }));
              }}
              aria-invalid={!!issue("conditionKind")}
              aria-describedby={described("conditionKind", info.help)}
            >
              {kindGroups().map((g) => (
                <optgroup key={g.group} label={g.group}>
                  {g.kinds.map((k) => (
                    <option key={k.kind} value={k.kind}>
                      {k.label}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
            {note("conditionKind", info.help)}
          </div>
          {info.hasThreshold && (
            <>
              <div className="flex flex-col gap-1">
                <label htmlFor={id("threshold")} className={labelCls}>
                  Threshold{suffix ? ` (${suffix})` : ""}
                </label>
                {info.unit === "severity" ? (
                  <select id={id("threshold")} className="input" value={d.threshold} onChange={(e) => set("threshold", e.target.value)} aria-invalid={!!issue("threshold")} aria-describedby={described("threshold", true)}>
                    <option value="">Choose a severity…</option>
                    {SEVERITY_RANKS.map((r) => (
                      <option key={r.rank} value={r.rank}>
                        {r.label} or higher
                      </option>
                    ))}
                  </select>
                ) : (
                  <input
                    id={id("threshold")}
                    className="input num"
                    type="number"
                    inputMode="decimal"
                    min={0}
                    step="any"
                    value={d.threshold}
                    onChange={(e) => set("threshold", e.target.value)}
                    aria-invalid={!!issue("threshold")}
                    aria-describedby={described("threshold", true)}
                  />
                )}
                {note("threshold", info.unit === "severity" ? "Fires when an insight of this severity or higher opens." : `Fires at or above it${info.unit === "percent" ? " (a percentage: 5 means 5 %)" : ""}.`)}
              </div>
              {info.unit !== "severity" && <div className="flex flex-col gap-1">
                <label htmlFor={id("criticalThreshold")} className={labelCls}>
                  Critical threshold{suffix ? ` (${suffix})` : ""}, optional
                </label>
                <input
                  id={id("criticalThreshold")}
                  className="input num"
                  type="number"
                  inputMode="decimal"
                  min={0}
                  step="any"
                  value={d.criticalThreshold}
                  onChange={(e) => set("criticalThreshold", e.target.value)}
                  aria-invalid={!!issue("criticalThreshold")}
                  aria-describedby={described("criticalThreshold", true)}
                />
                {note("criticalThreshold", "At or above it the incident is critical, and rising there notifies again.")}
              </div>}
            </>
          )}
          <div className="flex flex-col gap-1">
            <label htmlFor={id("windowMinutes")} className={labelCls}>
              Window (minutes)
            </label>
            <input
              id={id("windowMinutes")}
              className="input num"
              type="number"
              min={1}
              max={info.maxWindowMinutes}
              value={d.windowMinutes}
              onChange={(e) => set("windowMinutes", e.target.value)}
              aria-invalid={!!issue("windowMinutes")}
              aria-describedby={described("windowMinutes", true)}
            />
            {note("windowMinutes", "The figure is measured over the last this many minutes.")}
          </div>
          {info.usesMinInvocations && (
            <div className="flex flex-col gap-1">
              <label htmlFor={id("minInvocations")} className={labelCls}>
                Minimum invocations
              </label>
              <input
                id={id("minInvocations")}
                className="input num"
                type="number"
                min={0}
                value={d.minInvocations}
                onChange={(e) => set("minInvocations", e.target.value)}
                aria-invalid={!!issue("minInvocations")}
                aria-describedby={described("minInvocations", true)}
              />
              {note("minInvocations", "Fewer invocations in the window never fire, so one failure in three pages nobody.")}
            </div>
          )}
          <div className="flex flex-col gap-1">
            <label htmlFor={id("severity")} className={labelCls}>
              Severity
            </label>
            <select id={id("severity")} className="input" value={d.severity} onChange={(e) => set("severity", e.target.value)} aria-invalid={!!issue("severity")} aria-describedby={described("severity")}>
              {ALERT_SEVERITIES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
            {note("severity")}
          </div>
        </fieldset>

        <fieldset className="grid gap-3">
          <legend className="mb-2 text-sm font-semibold uppercase tracking-wide text-zinc-600 dark:text-zinc-400">What it watches</legend>
          <div className="flex flex-wrap gap-x-4 gap-y-2" role="radiogroup" aria-label="Scope">
            {SCOPE_KINDS.filter((s) => info.appliesTo !== "account_region" || s === "all" || s === "account" || s === "region").map((s) => (
              <label key={s} className="flex items-center gap-1.5 text-sm">
                <input type="radio" name={id("scopeKind")} value={s} checked={d.scopeKind === s} onChange={() => set("scopeKind", s)} />
                {SCOPE_LABEL[s] ?? s}
              </label>
            ))}
          </div>
          {note("scopeKind")}
          {d.scopeKind === "account" && (
            <div className="flex flex-col gap-1">
              <label htmlFor={id("accountId")} className={labelCls}>
                Account
              </label>
              <select id={id("accountId")} className="input" value={d.accountId} onChange={(e) => set("accountId", e.target.value)} aria-invalid={!!issue("accountId")} aria-describedby={described("accountId")}>
                <option value="">Choose an account…</option>
                {(accounts.data ?? []).map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                    {a.awsAccountId ? ` (${a.awsAccountId})` : ""}
                  </option>
                ))}
              </select>
              {note("accountId")}
            </div>
          )}
          {d.scopeKind === "region" && (
            <div className="flex flex-col gap-1">
              <label htmlFor={id("region")} className={labelCls}>
                Region
              </label>
              <input
                id={id("region")}
                className="input font-mono"
                list={id("regions")}
                placeholder="us-east-1"
                value={d.region}
                onChange={(e) => set("region", e.target.value)}
                aria-invalid={!!issue("region")}
                aria-describedby={described("region")}
              />
              <datalist id={id("regions")}>
                {regions.map((r) => (
                  <option key={r} value={r} />
                ))}
              </datalist>
              {note("region")}
            </div>
          )}
          {d.scopeKind === "tag" && (
            <div className="grid gap-3 md:grid-cols-2">
              <div className="flex flex-col gap-1">
                <label htmlFor={id("tagKey")} className={labelCls}>
                  Tag key
                </label>
                <input id={id("tagKey")} className="input font-mono" placeholder="team" value={d.tagKey} onChange={(e) => set("tagKey", e.target.value)} aria-invalid={!!issue("tagKey")} aria-describedby={described("tagKey")} />
                {note("tagKey")}
              </div>
              <div className="flex flex-col gap-1">
                <label htmlFor={id("tagValue")} className={labelCls}>
                  Tag value
                </label>
                <input id={id("tagValue")} className="input font-mono" placeholder="payments" value={d.tagValue} onChange={(e) => set("tagValue", e.target.value)} aria-invalid={!!issue("tagValue")} aria-describedby={described("tagValue")} />
                {note("tagValue")}
              </div>
            </div>
          )}
          {d.scopeKind === "resources" && (
            <ResourcePicker kind={info.resourceKind} selected={d.resources} onChange={(r) => set("resources", r)} error={issue("resourceIds")} />
          )}
        </fieldset>

        <fieldset className="grid gap-2" aria-describedby={described("channelIds", true)}>
          <legend className="mb-2 text-sm font-semibold uppercase tracking-wide text-zinc-600 dark:text-zinc-400">Whom it tells</legend>
          {channels.isPending ? (
            <p className={hintCls}>Loading channels…</p>
          ) : channels.isError ? (
            <p className={errCls}>Could not load the channels: {channels.error.message}</p>
          ) : channels.data.length === 0 ? (
            <p className="text-sm">No channel is configured yet: incidents will open but notify no one.</p>
          ) : (
            <div className="flex flex-wrap gap-x-4 gap-y-2" data-testid="policy-channels-picker">
              {channels.data.map((c) => (
                <label key={c.id} className="flex items-center gap-1.5 text-sm">
                  <input
                    type="checkbox"
                    checked={d.channelIds.includes(c.id)}
                    onChange={(e) => set("channelIds", e.target.checked ? [...d.channelIds, c.id] : d.channelIds.filter((x) => x !== c.id))}
                  />
                  {c.name}
                  <span className="text-xs text-zinc-600 dark:text-zinc-400">({c.kind}{c.enabled ? "" : ", disabled"})</span>
                </label>
              ))}
            </div>
          )}
          {note(
            "channelIds",
            <>
              Add a Slack, e-mail, webhook, PagerDuty or SNS channel in{" "}
              <Link href="/settings" className="link underline">
                Settings
              </Link>
              .
            </>,
          )}
        </fieldset>

        <details className="rounded-md border border-zinc-200 p-3 dark:border-zinc-800" open={!!(issue("resolveAfterMinutes") || issue("flapMinutes"))}>
          <summary className="cursor-pointer text-sm font-medium">Advanced</summary>
          <div className="mt-3 grid gap-4 md:grid-cols-2">
            <div className="flex flex-col gap-1">
              <label htmlFor={id("resolveAfterMinutes")} className={labelCls}>
                Resolve after (minutes clear)
              </label>
              <input
                id={id("resolveAfterMinutes")}
                className="input num"
                type="number"
                min={1}
                max={1440}
                value={d.resolveAfterMinutes}
                onChange={(e) => set("resolveAfterMinutes", e.target.value)}
                aria-invalid={!!issue("resolveAfterMinutes")}
                aria-describedby={described("resolveAfterMinutes", true)}
              />
              {note("resolveAfterMinutes", "An incident resolves once the condition has been clear this long.")}
            </div>
            <div className="flex flex-col gap-1">
              <label htmlFor={id("flapMinutes")} className={labelCls}>
                Flap window (minutes)
              </label>
              <input
                id={id("flapMinutes")}
                className="input num"
                type="number"
                min={0}
                max={1440}
                value={d.flapMinutes}
                onChange={(e) => set("flapMinutes", e.target.value)}
                aria-invalid={!!issue("flapMinutes")}
                aria-describedby={described("flapMinutes", true)}
              />
              {note("flapMinutes", "Firing again this soon after a resolve re-opens the same incident without a new notification.")}
            </div>
          </div>
        </details>

        {save.isError && ((save.error instanceof FormError ? save.error.issues.length : 0) === 0 || otherIssues.length > 0) && (
          <p role="alert" className="text-sm text-red-700 dark:text-red-400">
            Could not save the policy: {otherIssues.length ? otherIssues.map((i) => `${i.path ? `${i.path}: ` : ""}${i.message}`).join("; ") : save.error.message}
          </p>
        )}
        {save.isError && issues.length > 0 && otherIssues.length === 0 && (
          <p role="alert" className="text-sm text-red-700 dark:text-red-400">
            Some fields need a fix (marked above).
          </p>
        )}
        <div className="flex flex-wrap gap-2">
          <button type="submit" className="btn-primary" disabled={save.isPending}>
            {save.isPending ? "Saving…" : "Save"}
          </button>
          <button type="button" className="btn" onClick={() => run(body)} disabled={!backtestable(body)}>
            Backtest
          </button>
          <Link href="/alerts" className="btn">
            Cancel
          </Link>
        </div>
      </form>
      <BacktestPanel state={bt} unit={info.unit} />
    </div>
  );
}
