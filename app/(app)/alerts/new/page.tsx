import type { Metadata } from "next";
import { PolicyEditorPage } from "@/components/alerts/policy-editor-page";

export const metadata: Metadata = { title: "New alert policy" };

export default function Page() {
  return <PolicyEditorPage />;
}
