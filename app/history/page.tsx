import { notFound } from "next/navigation";
import { Brand, Nav } from "@/components/Nav";
import { ThemeSwitch } from "@/components/ThemeSwitch";
import { HistoryView } from "@/components/docs/HistoryView";
import { listDocs, loadDoc } from "@/lib/web/context";

export const dynamic = "force-dynamic";

export default async function HistoryPage() {
  const doc = await loadDoc("history");
  if (!doc || doc.kind !== "history") notFound();
  return (
    <div className="mx-auto max-w-5xl px-3 pb-10 sm:px-5">
      <header className="sticky top-0 z-40 -mx-3 mb-4 flex flex-wrap items-center gap-3 border-b border-edge bg-ink/90 px-3 py-2 backdrop-blur sm:-mx-5 sm:px-5">
        <Brand />
        <Nav docs={listDocs()} current="history" />
        <div className="ml-auto">
          <ThemeSwitch />
        </div>
      </header>
      <HistoryView initial={doc} />
    </div>
  );
}
