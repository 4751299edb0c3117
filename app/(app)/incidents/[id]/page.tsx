import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { IncidentDetailPage } from "@/components/incidents/incident-detail-page";

export const metadata: Metadata = { title: "Incident" };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const n = Number(id);
  if (!Number.isInteger(n) || n <= 0) notFound();
  return <IncidentDetailPage id={n} />;
}
