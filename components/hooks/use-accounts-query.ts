"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "./fetch-json";

export interface AccountView {
  id: number;
  name: string;
  awsAccountId: string | null;
  regions: string[];
  credentialMethod: "default_chain" | "profile" | "assume_role";
  profile: string | null;
  roleArn: string | null;
  hasExternalId: boolean;
  /** The external id's last four characters (of one of 16 or more), else "…". */
  externalIdHint: string | null;
  /** The account's Firehose key: its last four characters, and when it was made; null until one is made. */
  firehoseKey: { hint: string; createdAt: string } | null;
  isSandbox: boolean;
  createdAt: string;
}

export function useAccountsQuery() {
  return useQuery({ queryKey: ["accounts"], queryFn: () => fetchJson<{ data: AccountView[] }>("/api/v1/accounts").then((r) => r.data) });
}
