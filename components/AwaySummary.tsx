"use client";

import { useCallback, useEffect, useState } from "react";
import type { PaneInfo } from "@/lib/protocol";
import { allPanes } from "@/lib/topology";
import { useFleet, useTopology } from "./fleet";
import { duration, summarize, type AwayEntry } from "./away-summary";
import { stateColor } from "./timeline-colors";

/** Away this long (page hidden, or since the last visit) and the summary opens. */
const AWAY_MS = 5 * 60_000;
const LAST_VISIT = "panecast.lastVisit";
/** Most panes asked about (one outline request each). */
const MAX_PANES = 50;

type Row = { info: PaneInfo; entry: AwayEntry };

/**
 * "While you were away": when someone comes back (the page was hidden a while, or the last visit on
 * this browser was a while ago), what each agent did since: state changes and time in each, errors
 * with their lines, the last question, lines printed. Each entry links to that moment in the pane's
 * timeline (`?pane=…&at=…`).
 */
export function AwaySummary() {
  const conn = useFleet();
  const topology = useTopology();
  const [since, setSince] = useState<number | null>(null);
  const [rows, setRows] = useState<Row[] | null>(null);

  useEffect(() => {
    const last = Number(localStorage.getItem(LAST_VISIT));
    if (last > 0 && Date.now() - last >= AWAY_MS) setSince(last);
    let hiddenAt: number | null = null;
    const mark = () => localStorage.setItem(LAST_VISIT, String(Date.now()));
    mark();
    const timer = setInterval(() => document.visibilityState === "visible" && mark(), 30_000);
    const onVisibility = () => {
      if (document.visibilityState === "hidden") {
        hiddenAt = Date.now();
        mark();
      } else if (hiddenAt !== null && Date.now() - hiddenAt >= AWAY_MS) setSince(hiddenAt);
    };
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      clearInterval(timer);
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, []);

  const panes = allPanes(topology);
  const key = panes.map((p) => p.id).join(" ");
  useEffect(() => {
    if (since === null || panes.length === 0) return;
    let live = true;
    const until = Date.now();
    void Promise.all(
      panes.slice(0, MAX_PANES).map(async (info) => {
        const r = await conn.recordingFrames({ pane: info.id, at: since, until, limit: 1, outline: true });
        if ("error" in r || !r.data.outline) return null;
        const entry = summarize(r.data.outline, since, until);
        return entry.printed > 0 || entry.changes.length > 0 ? { info, entry } : null;
      }),
    ).then((got) => live && setRows(got.filter((r): r is Row => r !== null)));
    return () => {
      live = false;
    };
    // Asked once per return, for the panes there are then.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [since, key === ""]);

  const dismiss = useCallback(() => {
    setSince(null);
    setRows(null);
  }, []);

  if (since === null || rows === null) return null;
  const link = (pane: string, at: number) => `?pane=${encodeURIComponent(pane)}&at=${at}`;
  return (
    <aside data-testid="away-summary" aria-label="while you were away" className="mb-4 rounded border border-edge bg-panel p-3 text-sm">
      <header className="mb-2 flex items-baseline gap-2">
        <h2 className="font-semibold">While you were away</h2>
        <span className="text-xs text-muted">since {new Date(since).toLocaleTimeString()}</span>
        <button type="button" onClick={dismiss} className="ml-auto rounded border border-edge px-2 text-xs hover:bg-edge">
          Dismiss
        </button>
      </header>
      {rows.length === 0 && <p className="text-xs text-muted">Nothing happened.</p>}
      <ul className="space-y-2">
        {rows.map(({ info, entry }) => (
          <li key={info.id} data-testid="away-entry" data-pane-id={info.id} className="text-xs">
            <div className="flex flex-wrap items-baseline gap-2">
              <a href={link(info.id, since)} className="font-semibold hover:underline">
                {info.sessionName}:{info.windowIndex}.{info.index} {info.agentType}
              </a>
              <span data-testid="away-printed" className="text-muted">{entry.printed} lines printed</span>
              {entry.timeIn.map((t) => (
                <span key={t.state} className="rounded px-1" style={{ background: stateColor(t.state), color: "#0b0e14" }}>
                  {t.state} {duration(t.ms)}
                </span>
              ))}
            </div>
            {entry.changes.length > 0 && (
              <div className="mt-0.5 text-muted">
                {entry.changes.map((c) => (
                  <a key={c.at} href={link(info.id, c.at)} className="mr-2 hover:underline" data-testid="away-change">
                    {new Date(c.at).toLocaleTimeString()} → {c.state}
                  </a>
                ))}
              </div>
            )}
            {entry.errors.map((e) => (
              <a key={e.at} href={link(info.id, e.at)} data-testid="away-error" className="block truncate text-red-400 hover:underline">
                {new Date(e.at).toLocaleTimeString()} {e.line}
              </a>
            ))}
            {entry.question && (
              <a href={link(info.id, entry.question.at)} data-testid="away-question" className="block truncate text-warn hover:underline">
                asked: {entry.question.line}
              </a>
            )}
          </li>
        ))}
      </ul>
    </aside>
  );
}
