"use client";

import { useState } from "react";
import { FLEET_EVENT_TYPES, type FleetEvent, type FleetEventType, type Topology } from "@/lib/protocol";
import { useEvents } from "./fleet";

/** The agent events first: they are what people filter for most. */
const FIRST: FleetEventType[] = ["agent.status", "pane.alert"];
const TYPES: FleetEventType[] = [...FIRST, ...FLEET_EVENT_TYPES.filter((t) => !FIRST.includes(t))];

function summary(e: FleetEvent): string {
  const d = e.data;
  switch (e.type) {
    case "agent.status":
      return `${String(d.agentId ?? e.pane)}: ${String(d.previous ?? "?")} → ${String(d.state)}`;
    case "pane.alert":
      return String(d.message ?? "alert");
    case "session.renamed":
      return `${String(d.from)} → ${String(d.to)}`;
    default:
      return [e.pane, d.agentId, d.name].filter(Boolean).map(String).join(" ");
  }
}

/** The event stream with filters by type, session and window, newest first. */
export function EventsPanel({ topology }: { topology: Topology }) {
  const events = useEvents();
  const [open, setOpen] = useState(false);
  const [type, setType] = useState<string>("");
  const [session, setSession] = useState<string>("");
  const [windowId, setWindowId] = useState<string>("");
  const windows = topology.sessions.filter((s) => !session || s.name === session).flatMap((s) => s.windows.map((w) => ({ id: w.id, label: `${s.name}:${w.index} ${w.name}` })));
  const shown = events
    .filter((e) => (!type || e.type === type) && (!session || e.session === session) && (!windowId || e.windowId === windowId))
    .slice(-200)
    .reverse();
  const select = "rounded border border-edge bg-ink px-1 py-0.5";
  return (
    <>
      <button type="button" data-testid="events-toggle" onClick={() => setOpen((o) => !o)} className="rounded border border-edge px-2 py-0.5 text-xs text-muted">
        Events
      </button>
      {open && (
        <aside data-testid="events-panel" aria-label="events" className="fixed right-0 top-12 z-40 flex max-h-[80vh] w-full max-w-xl flex-col overflow-hidden rounded-bl-lg border border-edge bg-panel shadow-xl">
          <div className="flex flex-wrap items-center gap-2 border-b border-edge px-3 py-2 text-xs">
            <span className="font-semibold">Events</span>
            <select aria-label="type" data-testid="events-filter-type" value={type} onChange={(e) => setType(e.target.value)} className={select}>
              <option value="">all types</option>
              {TYPES.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
            <select aria-label="session" data-testid="events-filter-session" value={session} onChange={(e) => (setSession(e.target.value), setWindowId(""))} className={select}>
              <option value="">all sessions</option>
              {topology.sessions.map((s) => (
                <option key={s.id} value={s.name}>
                  {s.name}
                </option>
              ))}
            </select>
            <select aria-label="window" data-testid="events-filter-window" value={windowId} onChange={(e) => setWindowId(e.target.value)} className={select}>
              <option value="">all windows</option>
              {windows.map((w) => (
                <option key={w.id} value={w.id}>
                  {w.label}
                </option>
              ))}
            </select>
          </div>
          <ol className="overflow-y-auto font-mono text-[11px]">
            {shown.length === 0 && <li className="px-3 py-4 text-muted">No events yet.</li>}
            {shown.map((e) => (
              <li key={e.id} data-testid="event" data-type={e.type} className="flex gap-2 border-b border-edge px-3 py-1">
                <time className="shrink-0 text-muted">{new Date(e.timestamp).toLocaleTimeString()}</time>
                <span className="shrink-0 text-accent">{e.type}</span>
                <span className="shrink-0 text-muted">
                  {e.session ?? ""}
                  {e.window !== null ? `:${e.window}` : ""}
                </span>
                <span className="truncate">{summary(e)}</span>
              </li>
            ))}
          </ol>
        </aside>
      )}
    </>
  );
}
