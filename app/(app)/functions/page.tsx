import type { Metadata } from "next";
import { FunctionsPage } from "@/components/functions/functions-page";

export const metadata: Metadata = { title: "Functions" };

export default function Page() {
  return <FunctionsPage />;
}
