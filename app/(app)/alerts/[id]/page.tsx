import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PolicyEditorPage } from "@/components/alerts/policy-editor-page";

export const metadata: Metadata = { title: "Edit alert policy" };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const n = Number(id);
  if (!Number.isInteger(n) || n < 1 || n > 2_147_483_647) notFound();
  return <PolicyEditorPage id={n} />;
}
