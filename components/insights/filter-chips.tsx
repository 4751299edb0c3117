"use client";

const chip = (active: boolean) =>
  `inline-flex items-center gap-1 rounded-full border px-2.5 py-0.5 text-xs font-medium ${
    active
      ? "border-brand-600 bg-brand-600 text-white"
      : "border-zinc-300 bg-white text-zinc-700 hover:bg-zinc-100 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-300 dark:hover:bg-zinc-800"
  }`;

/** Toggle chips for a comma-separated URL value: none selected means all. */
export function FilterChips<T extends string>({
  label,
  options,
  selected,
  onChange,
  render = (v) => v,
}: {
  label: string;
  options: readonly T[];
  selected: readonly string[];
  onChange: (next: string | null) => void;
  render?: (v: T) => React.ReactNode;
}) {
  const toggle = (v: string) => {
    const next = selected.includes(v) ? selected.filter((x) => x !== v) : [...selected, v];
    onChange(next.length ? next.join(",") : null);
  };
  return (
    <div role="group" aria-label={label} className="flex flex-wrap items-center gap-1.5">
      <span className="w-20 shrink-0 text-xs font-medium text-zinc-600 dark:text-zinc-400">{label}</span>
      <button type="button" className={chip(selected.length === 0)} aria-pressed={selected.length === 0} onClick={() => onChange(null)}>
        All
      </button>
      {options.map((o) => (
        <button key={o} type="button" className={chip(selected.includes(o))} aria-pressed={selected.includes(o)} onClick={() => toggle(o)}>
          {render(o)}
        </button>
      ))}
    </div>
  );
}

/** One choice out of a few, as a segmented control. */
export function Segmented<T extends string>({
  label,
  options,
  value,
  onChange,
}: {
  label: string;
  options: readonly { value: T; label: React.ReactNode }[];
  value: T;
  onChange: (v: T) => void;
}) {
  return (
    <div role="group" aria-label={label} className="inline-flex flex-wrap divide-x divide-zinc-200 overflow-hidden rounded-md border border-zinc-300 shadow-sm dark:divide-zinc-700 dark:border-zinc-700">
      {options.map((o) => (
        <button
          key={o.value}
          type="button"
          aria-pressed={o.value === value}
          onClick={() => onChange(o.value)}
          className={`px-2.5 py-1 text-sm font-medium ${
            o.value === value ? "bg-brand-600 text-white" : "bg-white text-zinc-700 hover:bg-zinc-100 dark:bg-zinc-900 dark:text-zinc-300 dark:hover:bg-zinc-800"
          }`}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}
