import Link from "next/link";
import type { DocInfo } from "@/lib/protocol";

/** The tabs: the live panes, each configured dashboard, the command history. */
export function Nav({ docs, current }: { docs: DocInfo[]; current: string }) {
  const tabs = [
    { href: "/", key: "panes", label: "Panes" },
    ...docs.filter((d) => d.kind === "markdown").map((d) => ({ href: `/dashboard/${encodeURIComponent(d.name)}`, key: `doc:${d.name}`, label: d.name })),
    { href: "/history", key: "history", label: "History" },
  ];
  return (
    <nav aria-label="pages" className="flex flex-wrap gap-1 text-xs">
      {tabs.map((t) => (
        <Link
          key={t.key}
          href={t.href}
          aria-current={t.key === current ? "page" : undefined}
          className={`rounded px-2 py-1 ${t.key === current ? "bg-edge text-fg" : "text-muted hover:bg-panel hover:text-fg"}`}
        >
          {t.label}
        </Link>
      ))}
    </nav>
  );
}

export function Brand() {
  return (
    <Link href="/" className="text-base font-bold tracking-tight">
      <span className="text-accent">▍</span>panecast
    </Link>
  );
}
