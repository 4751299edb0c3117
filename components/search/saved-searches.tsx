"use client";

import Link from "next/link";
import { useState } from "react";
import { useCan } from "../auth/viewer";
import { useDeleteSavedSearch, useSavedSearches, useSaveSearch } from "./use-log-search";

type Range = "1h" | "24h" | "7d" | "30d";

/** The team's saved searches as links (each its own shareable URL), and, for members, saving the current one. */
export function SavedSearches({ q, range, resource }: { q: string; range: Range | null; resource: string }) {
  const saved = useSavedSearches();
  const canSave = useCan("member");
  const save = useSaveSearch();
  const remove = useDeleteSavedSearch();
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState("");
  return (
    <div className="flex flex-wrap items-center gap-2 text-xs" data-testid="saved-searches">
      <span className="font-medium text-zinc-600 dark:text-zinc-400">Saved searches</span>
      {saved.data?.length ? (
        <ul className="flex flex-wrap gap-2">
          {saved.data.map((s) => (
            <li key={s.id} className="flex items-center rounded border border-zinc-200 dark:border-zinc-700">
              <Link href={s.url} className="link px-2 py-0.5" title={`${s.q} · saved by ${s.createdBy}`}>
                {s.name}
              </Link>
              {canSave && (
                <button type="button" className="px-1.5 text-zinc-500 hover:text-red-700" aria-label={`Delete saved search ${s.name}`} onClick={() => remove.mutate(s.id)}>
                  ×
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <span className="text-zinc-500 dark:text-zinc-400">{saved.isPending ? "…" : "none yet"}</span>
      )}
      {canSave && q && !naming && (
        <button type="button" className="btn px-2 py-0.5 text-xs" onClick={() => setNaming(true)}>
          Save this search
        </button>
      )}
      {naming && (
        <form
          className="flex items-center gap-1"
          onSubmit={(e) => {
            e.preventDefault();
            const resources = resource ? resource.split(",").map(Number).filter((n) => Number.isInteger(n) && n > 0) : [];
            save.mutate({ name: name.trim(), q, range, resource: resources }, { onSuccess: () => (setNaming(false), setName("")) });
          }}
        >
          <label htmlFor="saved-search-name" className="sr-only">
            Name of the saved search
          </label>
          <input id="saved-search-name" className="input py-0.5 text-xs" placeholder="Name" value={name} maxLength={100} autoFocus onChange={(e) => setName(e.target.value)} />
          <button type="submit" className="btn-primary px-2 py-0.5 text-xs" disabled={!name.trim() || save.isPending}>
            Save
          </button>
          <button type="button" className="btn px-2 py-0.5 text-xs" onClick={() => setNaming(false)}>
            Cancel
          </button>
          {save.isError && <span role="alert" className="text-red-700 dark:text-red-300">{save.error.message}</span>}
        </form>
      )}
    </div>
  );
}
