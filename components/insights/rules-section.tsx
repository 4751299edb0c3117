"use client";

import { useId, useState } from "react";
import { ErrorState, SkeletonRows } from "../ui/states";
import { keyLabel, keyUnit, PILLAR_LABEL, SERVICE_LABEL } from "./insight-meta";
import { useInsightRules, useSaveThresholds, type RuleView } from "./use-insights";
import { useCan } from "../auth/viewer";

export function RulesSection() {
  const rules = useInsightRules();
  if (rules.isPending) return <SkeletonRows rows={5} />;
  if (rules.isError) return <ErrorState error={rules.error} />;
  return (
    <div className="flex flex-col gap-3">
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Every rule Osprey evaluates, with the thresholds it uses. Change one to fit your system: the new value applies from the next evaluation.
      </p>
      <ul className="card divide-y divide-zinc-100 dark:divide-zinc-800" data-testid="rule-list">
        {rules.data.map((r) => (
          <li key={r.id}>
            <RuleRow rule={r} />
          </li>
        ))}
      </ul>
    </div>
  );
}

function validate(raw: string): string | null {
  if (raw.trim() === "") return "Enter a number";
  const n = Number(raw);
  if (!Number.isFinite(n)) return "Must be a number";
  if (n < 0) return "Must not be negative";
  return null;
}

function RuleRow({ rule }: { rule: RuleView }) {
  const [saved, setSaved] = useState(false);
  const changed = rule.thresholds.filter((t) => t.value !== t.default).length;
  return (
    <details className="group" data-testid="rule" data-rule={rule.id}>
      <summary className="flex cursor-pointer list-none flex-wrap items-center gap-x-3 gap-y-1 px-4 py-2.5 hover:bg-zinc-50 dark:hover:bg-zinc-800/50">
        <span aria-hidden className="text-xs text-zinc-500 transition-transform group-open:rotate-90">
          ▶
        </span>
        <span className="text-sm font-medium">{rule.title}</span>
        <span className="text-xs text-zinc-600 dark:text-zinc-400">
          {SERVICE_LABEL[rule.service]} · {PILLAR_LABEL[rule.pillar]}
        </span>
        <span className="ml-auto text-xs text-zinc-600 dark:text-zinc-400">
          {rule.thresholds.length === 0 ? "no thresholds" : `${rule.thresholds.length} threshold${rule.thresholds.length > 1 ? "s" : ""}`}
          {changed > 0 && (
            <span className="ml-2 rounded bg-brand-50 px-1.5 py-0.5 font-medium text-brand-700 dark:bg-brand-500/15 dark:text-brand-100">{changed} changed</span>
          )}
        </span>
      </summary>
      <div className="px-4 pb-4 pl-10">
        {rule.thresholds.length === 0 ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">This rule fires on the resource&apos;s configuration alone; it has nothing to tune.</p>
        ) : (
          // Remount on new server values so the inputs start from what is saved.
          <ThresholdForm key={rule.thresholds.map((t) => `${t.name}=${t.value}`).join("&")} rule={rule} saved={saved} setSaved={setSaved} />
        )}
      </div>
    </details>
  );
}

function ThresholdForm({ rule, saved, setSaved }: { rule: RuleView; saved: boolean; setSaved: (v: boolean) => void }) {
  const formId = useId();
  const save = useSaveThresholds();
  const admin = useCan("admin");
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(rule.thresholds.map((t) => [t.name, String(t.value)])));
  const [touched, setTouched] = useState(false);
  const errors = Object.fromEntries(rule.thresholds.map((t) => [t.name, validate(values[t.name] ?? "")]));
  const invalid = Object.values(errors).some(Boolean);
  const dirty = rule.thresholds.some((t) => Number(values[t.name]) !== t.value);
  const custom = rule.thresholds.some((t) => t.value !== t.default);

  const submit = (thresholds: Record<string, number>) => {
    setSaved(false);
    save.mutateAsync({ ruleId: rule.id, thresholds }).then(
      () => setSaved(true),
      () => {},
    );
  };

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (invalid) return;
        // Only values that differ from the default are stored, so a later change of default still reaches everyone else.
        const changed = Object.fromEntries(rule.thresholds.filter((t) => Number(values[t.name]) !== t.default).map((t) => [t.name, Number(values[t.name])]));
        submit(changed);
      }}
    >
      <table className="w-full text-sm">
        <thead className="text-left text-xs uppercase tracking-wide text-zinc-600 dark:text-zinc-400">
          <tr>
            <th scope="col" className="py-1.5 pr-3 font-medium">Threshold</th>
            <th scope="col" className="py-1.5 pr-3 font-medium">Current</th>
            <th scope="col" className="py-1.5 pr-3 text-right font-medium">Default</th>
            <th scope="col" className="py-1.5 font-medium">Source</th>
          </tr>
        </thead>
        <tbody>
          {rule.thresholds.map((t) => {
            const id = `${formId}-${t.name}`;
            const err = touched || values[t.name] !== String(t.value) ? errors[t.name] : null;
            const unit = keyUnit(t.name);
            return (
              <tr key={t.name} className="align-top">
                <td className="py-1.5 pr-3">
                  <label htmlFor={id} className="font-medium">
                    {keyLabel(t.name)}
                  </label>
                  <code className="block font-mono text-xs text-zinc-500 dark:text-zinc-400">{t.name}</code>
                </td>
                <td className="py-1.5 pr-3">
                  <div className="flex items-center gap-1.5">
                    <input
                      id={id}
                      name={t.name}
                      inputMode="decimal"
                      className={`input num w-28 ${err ? "border-red-500 dark:border-red-500" : ""}`}
                      value={values[t.name] ?? ""}
                      aria-invalid={err ? true : undefined}
                      aria-describedby={err ? `${id}-error` : undefined}
                      onChange={(e) => {
                        setSaved(false);
                        setValues((v) => ({ ...v, [t.name]: e.target.value }));
                      }}
                    />
                    {unit && <span className="text-xs text-zinc-600 dark:text-zinc-400">{unit}</span>}
                  </div>
                  {err && (
                    <p id={`${id}-error`} className="mt-1 text-xs text-red-700 dark:text-red-300">
                      {err}
                    </p>
                  )}
                </td>
                <td className="num py-1.5 pr-3 text-right text-zinc-700 dark:text-zinc-300">{t.default}</td>
                <td className="py-1.5 text-xs leading-5 text-zinc-600 dark:text-zinc-400">{t.source ?? "–"}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="mt-3 flex flex-wrap items-center gap-2">
        <button type="submit" className="btn-primary" disabled={!admin || save.isPending || !dirty}>
          {save.isPending ? "Saving…" : "Save thresholds"}
        </button>
        <button
          type="button"
          className="btn"
          disabled={!admin || save.isPending || !custom}
          onClick={() => {
            setValues(Object.fromEntries(rule.thresholds.map((t) => [t.name, String(t.default)])));
            submit({});
          }}
        >
          Reset to defaults
        </button>
        <span aria-live="polite" className="text-xs text-emerald-700 dark:text-emerald-300">
          {saved && !save.isPending ? "Saved" : ""}
        </span>
      </div>
      {touched && invalid && (
        <p role="alert" className="mt-2 text-xs text-red-700 dark:text-red-300">
          Fix the highlighted values before saving.
        </p>
      )}
      {save.isError && (
        <p role="alert" className="mt-2 text-xs text-red-700 dark:text-red-300">
          Not saved: {save.error.message}
        </p>
      )}
    </form>
  );
}
