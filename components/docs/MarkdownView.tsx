"use client";

import { useEffect, useLayoutEffect, useRef, useState, type MouseEvent } from "react";
import type { DocPayload } from "@/lib/protocol";
import { FileProblem } from "./FileProblem";
import { LinkBadge, useLiveDoc } from "./useLiveDoc";
import { NoScriptSlot } from "../NoScriptSlot";

type MarkdownPayload = Extract<DocPayload, { kind: "markdown" }>;

type View = "rendered" | "raw";

/**
 * A Markdown dashboard, live: when the file changes the content is replaced in place, and the
 * reader's scroll position is kept. Without JavaScript the server puts the document in the page
 * (the "doc" slot). `?view=raw` shows the source.
 */
export function MarkdownView({ name }: { name: string }) {
  const { doc: payload, link } = useLiveDoc(name);
  const [view, setView] = useState<View>("rendered");
  useEffect(() => setView(new URLSearchParams(window.location.search).get("view") === "raw" ? "raw" : "rendered"), []);
  const choose = (e: MouseEvent, to: View) => {
    e.preventDefault();
    setView(to);
    const url = new URL(window.location.href);
    url.searchParams.set("view", to);
    history.replaceState(history.state, "", url);
  };
  const scroll = useRef<number | null>(null);
  if (typeof window !== "undefined") scroll.current = window.scrollY;
  useLayoutEffect(() => {
    if (scroll.current !== null && Math.abs(window.scrollY - scroll.current) > 1) window.scrollTo({ top: scroll.current });
  }, [payload]);
  if (payload === null || payload.kind !== "markdown") return <NoScriptSlot name="doc" />;
  const doc = (payload as MarkdownPayload).doc;

  return (
    <div className="flex gap-6">
      <div className="min-w-0 flex-1">
        <div className="mb-3 flex flex-wrap items-center gap-3 text-xs">
          <div className="flex overflow-hidden rounded border border-edge" role="group" aria-label="view">
            <a href="?view=rendered" onClick={(e) => choose(e, "rendered")} data-testid="view-rendered" aria-pressed={view === "rendered"} className={`px-2 py-1 ${view === "rendered" ? "bg-edge" : "text-muted hover:bg-panel"}`}>
              Rendered
            </a>
            <a href="?view=raw" onClick={(e) => choose(e, "raw")} data-testid="view-raw" aria-pressed={view === "raw"} className={`px-2 py-1 ${view === "raw" ? "bg-edge" : "text-muted hover:bg-panel"}`}>
              Raw
            </a>
          </div>
          <span className="truncate font-mono text-muted" title={payload.path}>
            {payload.path}
          </span>
          {doc.state === "ok" && <span className="text-muted">updated {new Date(doc.mtimeMs).toLocaleString()}</span>}
          <span className="ml-auto">
            <LinkBadge link={link} />
          </span>
        </div>
        {doc.state !== "ok" ? (
          <FileProblem problem={doc} path={payload.path} what="dashboard" />
        ) : view === "raw" ? (
          <pre data-testid="doc-raw" className="overflow-x-auto rounded-lg border border-edge bg-panel p-4 font-mono text-[13px] leading-relaxed whitespace-pre-wrap">
            {doc.raw}
          </pre>
        ) : (
          <article data-testid="doc-rendered" className="markdown rounded-lg border border-edge bg-panel px-6 py-5" dangerouslySetInnerHTML={{ __html: doc.html }} />
        )}
      </div>
      {doc.state === "ok" && view === "rendered" && doc.toc.length > 1 && (
        <aside className="sticky top-16 hidden max-h-[80vh] w-56 shrink-0 self-start overflow-y-auto text-xs lg:block" aria-label="contents">
          <p className="mb-2 font-semibold text-muted">Contents</p>
          <ul data-testid="doc-toc" className="space-y-1">
            {doc.toc.map((t, i) => (
              <li key={`${t.id}-${i}`} style={{ paddingLeft: `${(t.level - 1) * 10}px` }}>
                <a href={`#${t.id}`} className="text-muted hover:text-fg">
                  {t.text}
                </a>
              </li>
            ))}
          </ul>
        </aside>
      )}
    </div>
  );
}
