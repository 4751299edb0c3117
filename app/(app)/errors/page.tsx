import type { Metadata } from "next";
import { Suspense } from "react";
import { ErrorsPage } from "@/components/errors/errors-page";
import { SkeletonRows } from "@/components/ui/states";

export const metadata: Metadata = { title: "Errors" };

export default function Page() {
  return (
    <Suspense fallback={<SkeletonRows rows={6} />}>
      <ErrorsPage />
    </Suspense>
  );
}
