import type { Metadata } from "next";
import { Suspense } from "react";
import { LogSearchPage } from "@/components/search/log-search-page";
import { SkeletonRows } from "@/components/ui/states";

export const metadata: Metadata = { title: "Logs" };

export default function Page() {
  return (
    <Suspense fallback={<SkeletonRows rows={6} />}>
      <LogSearchPage />
    </Suspense>
  );
}
