import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { ErrorGroupPage } from "@/components/errors/error-group-page";
import { SkeletonRows } from "@/components/ui/states";

export const metadata: Metadata = { title: "Error group" };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const n = Number(id);
  if (!Number.isInteger(n) || n <= 0) notFound();
  return (
    <Suspense fallback={<SkeletonRows rows={6} />}>
      <ErrorGroupPage id={n} />
    </Suspense>
  );
}
