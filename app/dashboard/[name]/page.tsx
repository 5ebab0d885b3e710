import { notFound } from "next/navigation";
import { Brand, Nav } from "@/components/Nav";
import { ThemeSwitch } from "@/components/ThemeSwitch";
import { MarkdownView } from "@/components/docs/MarkdownView";
import { listDocs, loadDoc } from "@/lib/web/context";

export const dynamic = "force-dynamic";

export default async function DashboardPage({ params, searchParams }: { params: Promise<{ name: string }>; searchParams: Promise<{ view?: string }> }) {
  const { name } = await params;
  const { view } = await searchParams;
  const doc = await loadDoc(decodeURIComponent(name));
  if (!doc || doc.kind !== "markdown") notFound();
  return (
    <div className="mx-auto max-w-6xl px-3 pb-10 sm:px-5">
      <header className="sticky top-0 z-40 -mx-3 mb-4 flex flex-wrap items-center gap-3 border-b border-edge bg-ink/90 px-3 py-2 backdrop-blur sm:-mx-5 sm:px-5">
        <Brand />
        <Nav docs={listDocs()} current={`doc:${doc.name}`} />
        <div className="ml-auto">
          <ThemeSwitch />
        </div>
      </header>
      <MarkdownView initial={doc} view={view === "raw" ? "raw" : "rendered"} />
    </div>
  );
}
