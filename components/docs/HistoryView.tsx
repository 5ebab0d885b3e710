"use client";

import { useRef } from "react";
import type { DocPayload, HistoryEntry } from "@/lib/protocol";
import { FileProblem } from "./FileProblem";
import { LinkBadge, useLiveDoc } from "./useLiveDoc";

type HistoryPayload = Extract<DocPayload, { kind: "history" }>;

const STATUS: Record<string, string> = {
  done: "bg-emerald-900/60 text-emerald-200",
  completed: "bg-emerald-900/60 text-emerald-200",
  in_progress: "bg-sky-900/60 text-sky-200",
  assigned: "bg-sky-900/60 text-sky-200",
  pending: "state-waiting-for-input",
  failed: "bg-red-900/60 text-red-200",
  error: "bg-red-900/60 text-red-200",
};

/** The command history as a timeline, newest first, live. */
export function HistoryView() {
  const { doc: payload, link } = useLiveDoc("history");
  const list = useRef<HTMLOListElement>(null);
  const setAll = (open: boolean) => list.current?.querySelectorAll("details").forEach((d) => (d.open = open));
  if (payload === null || payload.kind !== "history") return null;
  const doc = (payload as HistoryPayload).doc;

  return (
    <div>
      <div className="mb-3 flex flex-wrap items-center gap-3 text-xs">
        {doc.state === "ok" && <span data-testid="history-count">{doc.entries.length} entries</span>}
        <button type="button" data-testid="expand-all" onClick={() => setAll(true)} className="rounded border border-edge px-2 py-1 hover:bg-panel">
          Expand all
        </button>
        <button type="button" data-testid="collapse-all" onClick={() => setAll(false)} className="rounded border border-edge px-2 py-1 hover:bg-panel">
          Collapse all
        </button>
        <span className="truncate font-mono text-muted">{payload.path}</span>
        <span className="ml-auto">
          <LinkBadge link={link} />
        </span>
      </div>
      {doc.state !== "ok" ? (
        <FileProblem problem={doc} path={payload.path} what="command history" />
      ) : doc.entries.length === 0 ? (
        <p className="text-sm text-muted">The command history is empty.</p>
      ) : (
        <ol ref={list} className="relative space-y-2 border-l border-edge pl-4">
          {doc.entries.map((e, i) => (
            <Entry key={`${e.id ?? "entry"}-${i}`} entry={e} />
          ))}
        </ol>
      )}
    </div>
  );
}

function Entry({ entry: e }: { entry: HistoryEntry }) {
  const status = e.status?.toLowerCase() ?? "";
  return (
    <li data-testid="history-entry" className="relative">
      <span className="absolute -left-[21px] top-3 h-2.5 w-2.5 rounded-full border border-edge bg-ink" aria-hidden />
      <details className="group rounded-lg border border-edge bg-panel">
        <summary className="flex cursor-pointer flex-wrap items-center gap-2 px-3 py-2 text-sm">
          {e.id && <span className="font-mono text-xs text-muted">{e.id}</span>}
          {e.status && <span className={`rounded px-1.5 py-0.5 text-[10px] uppercase ${STATUS[status] ?? "bg-edge text-muted"}`}>{e.status}</span>}
          <span className="min-w-0 flex-1 truncate">{e.command ?? "(no command)"}</span>
          {e.assignee && <span className="text-xs text-accent">→ {e.assignee}</span>}
          {e.timestamp && <time className="text-xs text-muted">{e.timestamp}</time>}
        </summary>
        <div className="border-t border-edge px-3 py-2 text-sm">
          <p className="whitespace-pre-wrap">{e.command}</p>
          {e.details && <pre className="mt-2 overflow-x-auto text-xs text-muted">{e.details}</pre>}
        </div>
      </details>
    </li>
  );
}
