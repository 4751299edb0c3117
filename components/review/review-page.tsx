"use client";

import { useQuery } from "@tanstack/react-query";
import type { ReviewResponse } from "@/lib/api/schemas/review";
import { Sparkline } from "../charts/sparkline";
import { fetchJson } from "../hooks/fetch-json";
import { useUrlState } from "../hooks/use-url-state";
import { PageHeader } from "../ui/page-header";
import { Section } from "../ui/section";
import { Code, ErrorState, SkeletonRows } from "../ui/states";

type Pillar = ReviewResponse["pillars"][number];
type Check = Pillar["questions"][number]["checks"][number];

const STATUS_LABEL: Record<Check["status"], string> = { pass: "Pass", fail: "Fail", not_checked: "Not checked" };
const STATUS_BADGE: Record<Check["status"], string> = {
  pass: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300",
  fail: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300",
  not_checked: "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
};
// Shown per check: the first findings; the insights page lists them all.
const MAX_FINDINGS = 5;

function useReview(query: string) {
  return useQuery({ queryKey: ["review", query], queryFn: () => fetchJson<ReviewResponse>(`/api/v1/review${query ? `?${query}` : ""}`) });
}

function scoreText(score: number | null): string {
  return score === null ? "–" : `${score}%`;
}

function PillarCard({ pillar }: { pillar: Pillar }) {
  const history = pillar.history.map((h) => h.score);
  return (
    <a
      href={`#pillar-${pillar.pillar}`}
      className="block rounded-lg border border-zinc-200 p-3 hover:border-brand-500 dark:border-zinc-800"
      data-testid={`pillar-score-${pillar.pillar}`}
    >
      <div className="text-xs font-medium text-zinc-600 dark:text-zinc-400">{pillar.title}</div>
      <div className="mt-1 text-2xl font-semibold tabular-nums" aria-label={`${pillar.title} score`}>
        {scoreText(pillar.score)}
      </div>
      <div className="text-xs text-zinc-600 dark:text-zinc-400">
        {pillar.passed} pass · {pillar.failed} fail · {pillar.notChecked} not checked
      </div>
      {history.length >= 2 ? (
        <Sparkline values={history} width={120} label={`${pillar.title} score over ${history.length} days`} />
      ) : null}
      <div className="text-xs text-zinc-600 dark:text-zinc-400" data-testid={`pillar-history-${pillar.pillar}`}>
        {pillar.history.length === 0
          ? "No daily score kept yet"
          : pillar.history.length === 1
            ? `First score kept ${pillar.history[0].day}`
            : `${scoreText(pillar.history[0].score)} on ${pillar.history[0].day}, ${scoreText(pillar.history.at(-1)!.score)} on ${pillar.history.at(-1)!.day}`}
      </div>
    </a>
  );
}

function Evidence({ evidence }: { evidence: Record<string, number | string | boolean> }) {
  return (
    <dl className="mt-1 flex flex-wrap gap-x-3 gap-y-0.5 text-xs text-zinc-600 dark:text-zinc-400">
      {Object.entries(evidence).map(([k, v]) => (
        <div key={k} className="flex gap-1">
          <dt>{k}</dt>
          <dd className="font-mono text-zinc-800 dark:text-zinc-200">{String(v)}</dd>
        </div>
      ))}
    </dl>
  );
}

function CheckRow({ check }: { check: Check }) {
  return (
    <li className="border-t border-zinc-100 py-2 first:border-t-0 dark:border-zinc-800" data-testid={`check-${check.ruleId}`} data-status={check.status}>
      <div className="flex flex-wrap items-baseline gap-2">
        <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${STATUS_BADGE[check.status]}`}>{STATUS_LABEL[check.status]}</span>
        <span className="font-medium">{check.title}</span>
        <span className="text-xs text-zinc-600 dark:text-zinc-400">
          <Code>{check.ruleId}</Code> · {check.resourcesChecked} {check.service} resource{check.resourcesChecked === 1 ? "" : "s"}
        </span>
      </div>
      {check.status === "not_checked" && check.notCheckedReason && (
        <p className="mt-1 text-sm text-zinc-700 dark:text-zinc-300">
          Not checked: {check.notCheckedReason}.
          {check.missingActions.length > 0 && (
            <>
              {" "}
              Grant {check.missingActions.map((m, i) => (
                <span key={m.action}>
                  {i > 0 && ", "}
                  <Code>{m.action}</Code>
                </span>
              ))}{" "}
              to Osprey&apos;s role to run it.
            </>
          )}
        </p>
      )}
      {check.findings.length > 0 && (
        <ul className="mt-1 space-y-1">
          {check.findings.slice(0, MAX_FINDINGS).map((f) => (
            <li key={f.resourceArn} className="text-sm">
              <span className="font-medium">{f.resourceName}</span>
              <Evidence evidence={f.evidence} />
            </li>
          ))}
          {check.findings.length > MAX_FINDINGS && (
            <li className="text-xs text-zinc-600 dark:text-zinc-400">
              and {check.findings.length - MAX_FINDINGS} more: <a className="underline" href={`/insights?rule=${encodeURIComponent(check.ruleId)}`}>see them all in Insights</a>
            </li>
          )}
        </ul>
      )}
      {check.status === "fail" && check.toChange && <p className="mt-1 text-sm text-zinc-700 dark:text-zinc-300">What to change: {check.toChange}</p>}
      {check.status === "fail" && check.missingActions.length > 0 && (
        <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">
          Some resources were not checked: {check.missingActions.map((m) => `${m.action} ${m.denied ? "is denied" : "failed"}`).join("; ")}.
        </p>
      )}
    </li>
  );
}

export function ReviewPage() {
  const [params] = useUrlState();
  const query = new URLSearchParams();
  for (const k of ["account", "region"]) {
    const v = params.get(k);
    if (v) query.set(k, v);
  }
  const review = useReview(query.toString());

  return (
    <>
      <PageHeader
        title="Well-Architected review"
        description="Each AWS Well-Architected Serverless Lens question, with the checks Osprey runs on your data: pass, fail or not checked, and a score per pillar over time."
      />
      {review.error ? (
        <ErrorState error={review.error} />
      ) : !review.data ? (
        <SkeletonRows rows={6} />
      ) : (
        <>
          <div className="grid grid-cols-2 gap-3 md:grid-cols-5" aria-label="Scores by pillar" role="group">
            {review.data.pillars.map((p) => (
              <PillarCard key={p.pillar} pillar={p} />
            ))}
          </div>
          {review.data.pillars.map((p) => (
            <div key={p.pillar} id={`pillar-${p.pillar}`}>
              <Section title={`${p.title} · ${scoreText(p.score)}`} testId={`pillar-${p.pillar}`}>
                {p.questions.map((q) => (
                  <div key={q.id} className="mb-4 rounded-lg border border-zinc-200 p-3 dark:border-zinc-800">
                    <h3 className="text-sm font-semibold">
                      {q.id.replace(/(\d)$/, " $1")}: {q.title}
                    </h3>
                    <ul className="mt-1">
                      {q.checks.map((c) => (
                        <CheckRow key={c.ruleId} check={c} />
                      ))}
                    </ul>
                  </div>
                ))}
              </Section>
            </div>
          ))}
        </>
      )}
    </>
  );
}
