import type { ResourceDetail } from "@/lib/api/schemas/resource";
import { formatDateTime, formatMb } from "../format";

type Config = Record<string, unknown>;

const bytes = (n: unknown) => (typeof n === "number" ? (n >= 1_048_576 ? `${(n / 1_048_576).toFixed(1)} MB` : `${(n / 1024).toFixed(0)} KB`) : "–");
const text = (v: unknown) => (v === null || v === undefined || v === "" ? "–" : typeof v === "boolean" ? (v ? "on" : "off") : typeof v === "object" ? JSON.stringify(v) : String(v));
const shortArn = (v: unknown) => (typeof v === "string" ? v.split(":").slice(-1)[0] : "–");

const LAMBDA_FIELDS: { label: string; get: (c: Config) => string }[] = [
  { label: "Runtime", get: (c) => text(c.runtime ?? (c.packageType === "Image" ? "container image" : null)) },
  { label: "Architecture", get: (c) => text(c.architecture) },
  { label: "Memory", get: (c) => (typeof c.memorySizeMB === "number" ? formatMb(c.memorySizeMB) : "–") },
  { label: "Timeout", get: (c) => (typeof c.timeoutS === "number" ? `${c.timeoutS} s` : "–") },
  { label: "Handler", get: (c) => text(c.handler) },
  { label: "Package", get: (c) => `${text(c.packageType)} · ${bytes(c.codeSizeBytes)}` },
  { label: "Tracing", get: (c) => text(c.tracingMode) },
  { label: "Logs", get: (c) => `${text(c.logFormat)} · ${c.logRetentionDays ? `${c.logRetentionDays} d retention` : "never expire"}` },
  { label: "Reserved concurrency", get: (c) => text(c.reservedConcurrency ?? "unreserved") },
  { label: "Provisioned concurrency", get: (c) => text(c.provisionedConcurrency ?? "none") },
  { label: "SnapStart", get: (c) => text(c.snapStart) },
  { label: "Dead-letter / on-failure", get: (c) => (c.deadLetterTargetArn || c.onFailureDestination ? shortArn(c.deadLetterTargetArn ?? c.onFailureDestination) : "none") },
  { label: "Triggers", get: (c) => (Array.isArray(c.eventSourceMappings) && c.eventSourceMappings.length ? c.eventSourceMappings.map((m: { eventSourceArn?: string }) => shortArn(m.eventSourceArn)).join(", ") : c.invokedAsync ? "async" : "–") },
  { label: "Role", get: (c) => shortArn(c.role).replace(/^role\//, "") },
  { label: "Last modified", get: (c) => formatDateTime(typeof c.lastModified === "string" ? c.lastModified.replace(/\+0000$/, "Z") : null) },
];

function genericFields(c: Config) {
  return Object.entries(c)
    .filter(([, v]) => v === null || ["string", "number", "boolean"].includes(typeof v))
    .slice(0, 16)
    .map(([k, v]) => ({ label: k.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/^./, (s) => s.toUpperCase()), value: text(v) }));
}

export function ConfigPanel({ resource }: { resource: ResourceDetail }) {
  const c = resource.config;
  const fields = resource.kind === "lambda" ? LAMBDA_FIELDS.map((f) => ({ label: f.label, value: f.get(c) })) : genericFields(c);
  const tags = Object.entries(resource.tags);
  const history = resource.versions.filter((v) => v.changes.length > 0).slice(0, 5);
  return (
    <div className="card p-4" data-testid="config-panel">
      <dl className="grid grid-cols-2 gap-x-4 gap-y-2.5 text-sm sm:grid-cols-3 lg:grid-cols-5">
        {fields.map((f) => (
          <div key={f.label} className="min-w-0">
            <dt className="text-xs text-zinc-600 dark:text-zinc-400">{f.label}</dt>
            <dd className="truncate font-medium" title={f.value}>
              {f.value}
            </dd>
          </div>
        ))}
      </dl>
      {tags.length > 0 && (
        <ul className="mt-3 flex flex-wrap gap-1.5" aria-label="Tags">
          {tags.map(([k, v]) => (
            <li key={k} className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs dark:bg-zinc-800">
              {k}={v}
            </li>
          ))}
        </ul>
      )}
      {history.length > 0 && (
        <details className="mt-3 text-sm">
          <summary className="cursor-pointer text-zinc-600 dark:text-zinc-400">Configuration history ({history.length})</summary>
          <ul className="mt-2 space-y-1">
            {history.map((v) => (
              <li key={v.id} className="flex gap-3">
                <span className="num shrink-0 text-zinc-600 dark:text-zinc-400">{formatDateTime(v.seenAt)}</span>
                <span>{v.changes.map((ch) => `${ch.path}: ${text(ch.from)} → ${text(ch.to)}`).join("; ")}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
