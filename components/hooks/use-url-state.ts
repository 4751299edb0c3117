"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback } from "react";

export type ParamPatch = Record<string, string | number | null | undefined>;

/** The page's query string as state: every filter lives in the URL so a link reproduces the view. */
export function useUrlState() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const set = useCallback(
    (patch: ParamPatch) => {
      const next = new URLSearchParams(params.toString());
      for (const [k, v] of Object.entries(patch)) {
        if (v === null || v === undefined || v === "") next.delete(k);
        else next.set(k, String(v));
      }
      const qs = next.toString();
      router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    },
    [params, router, pathname],
  );
  return [params, set] as const;
}

export function csvParam(params: URLSearchParams, key: string): string[] {
  return (params.get(key) ?? "").split(",").filter(Boolean);
}

/** Keeps the time range (and account/region scope) when linking to another page. */
export function carryParams(params: URLSearchParams, keys: readonly string[] = SCOPE_KEYS): string {
  const out = new URLSearchParams();
  for (const k of keys) {
    const v = params.get(k);
    if (v) out.set(k, v);
  }
  const qs = out.toString();
  return qs ? `?${qs}` : "";
}

export const RANGE_KEYS = ["range", "from", "to"] as const;
export const SCOPE_KEYS = ["range", "from", "to", "account", "region"] as const;
