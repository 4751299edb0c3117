"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";

/**
 * Posts an auth form's JSON; on success goes to `to` (the server renders it again with the new cookie),
 * else shows what `describe` makes of the answer.
 */
export function useAuthSubmit(url: string, to: string, describe: (status: number, body: unknown) => string) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const submit = async (body: unknown) => {
    setPending(true);
    setError(null);
    try {
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      if (res.ok) {
        router.replace(to);
        router.refresh();
        return;
      }
      setError(describe(res.status, await res.json().catch(() => null)));
    } catch {
      setError("Could not reach Osprey: check that it is running.");
    }
    setPending(false);
  };
  return { error, setError, pending, submit };
}
