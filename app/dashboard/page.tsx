import { notFound, redirect } from "next/navigation";
import { listDocs } from "@/lib/web/context";

export const dynamic = "force-dynamic";

/** /dashboard opens the first configured dashboard. */
export default function DashboardIndex() {
  const first = listDocs().find((d) => d.kind === "markdown");
  if (!first) notFound();
  redirect(`/dashboard/${encodeURIComponent(first.name)}`);
}
