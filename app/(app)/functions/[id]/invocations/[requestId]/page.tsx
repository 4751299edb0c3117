import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { InvocationPage } from "@/components/invocation/invocation-page";

export const metadata: Metadata = { title: "Invocation" };

export default async function Page({ params }: { params: Promise<{ id: string; requestId: string }> }) {
  const { id, requestId } = await params;
  const n = Number(id);
  if (!Number.isInteger(n) || n <= 0) notFound();
  return <InvocationPage resourceId={n} requestId={decodeURIComponent(requestId)} />;
}
