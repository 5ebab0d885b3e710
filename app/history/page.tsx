import { notFound } from "next/navigation";
import { DocShell } from "@/components/docs/DocShell";
import { HistoryView } from "@/components/docs/HistoryView";
import { listDocs, loadDoc } from "@/lib/web/context";

export const dynamic = "force-dynamic";

export default async function HistoryPage() {
  const doc = await loadDoc("history");
  if (!doc || doc.kind !== "history") notFound();
  return (
    <DocShell width="max-w-5xl" docs={listDocs()} current="history">
      <HistoryView initial={doc} />
    </DocShell>
  );
}
