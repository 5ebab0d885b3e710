import { notFound } from "next/navigation";
import { DocShell } from "@/components/docs/DocShell";
import { MarkdownView } from "@/components/docs/MarkdownView";
import { listDocs, loadDoc } from "@/lib/web/context";

export const dynamic = "force-dynamic";

export default async function DashboardPage({ params, searchParams }: { params: Promise<{ name: string }>; searchParams: Promise<{ view?: string }> }) {
  const { name } = await params;
  const { view } = await searchParams;
  const doc = await loadDoc(decodeURIComponent(name));
  if (!doc || doc.kind !== "markdown") notFound();
  return (
    <DocShell width="max-w-6xl" docs={listDocs()} current={`doc:${doc.name}`}>
      <MarkdownView initial={doc} view={view === "raw" ? "raw" : "rendered"} />
    </DocShell>
  );
}
