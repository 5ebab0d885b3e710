"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { DocInfo, PaneInfo } from "@/lib/protocol";
import { AppHeader } from "./AppHeader";
import { FleetProvider, useConnectionStatus, useFleetState, useFleetVersion, useTopology } from "./fleet";
import { FocusedPane } from "./FocusedPane";
import { AwaySummary } from "./AwaySummary";
import { PaneCard, paneLabel } from "./PaneCard";
import { useGridKeys } from "./useGridKeys";

export function Dashboard({ docs }: { docs: DocInfo[] }) {
  return (
    <FleetProvider>
      <Fleet docs={docs} />
    </FleetProvider>
  );
}

function Fleet({ docs }: { docs: DocInfo[] }) {
  const topology = useTopology();
  const status = useConnectionStatus();
  const [focused, setFocused] = useState<string | null>(null);
  const onFocus = useCallback((id: string) => setFocused(id), []);
  const onClose = useCallback(() => setFocused(null), []);
  // `?pane=%3` (a notification's link) opens with that pane focused.
  useEffect(() => {
    const pane = new URLSearchParams(window.location.search).get("pane");
    if (pane && /^(\S+\/)?%\d+$/.test(pane)) setFocused(pane);
  }, []);
  const panes = useMemo(() => new Map<string, PaneInfo>(topology.sessions.flatMap((s) => s.windows.flatMap((w) => w.panes.map((p) => [p.id, p])))), [topology]);
  const focusedInfo = focused ? panes.get(focused) : undefined;
  const [filter, setFilter] = useState("");
  const filterRef = useRef<HTMLInputElement>(null);
  const onGridKey = useGridKeys(filterRef, onFocus);
  const state = useFleetState();
  const needle = filter.trim().toLowerCase();
  // Agent states change the filter's result: followed only while there is a filter, so without one a
  // state change re-renders its own card only.
  useFleetVersion(needle !== "");
  // A pane shows when its name, agent type, session, id or agent state contains the filter text.
  const shown = (p: PaneInfo) =>
    !needle || [paneLabel(p), p.agentType, p.sessionName, p.id, state.status[p.id]?.state ?? ""].some((v) => v.toLowerCase().includes(needle));

  return (
    <div className="mx-auto max-w-[2400px] px-3 pb-10 sm:px-5">
      <AppHeader docs={docs} current="panes" topology={topology} onFocus={onFocus}>
        <input
          ref={filterRef}
          data-testid="pane-filter"
          type="search"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Escape") {
              setFilter("");
              e.currentTarget.blur();
            }
          }}
          placeholder="filter panes  /"
          aria-label="filter panes by name or state"
          className="w-40 rounded border border-edge bg-panel px-2 py-0.5 text-xs text-fg placeholder:text-muted"
        />
      </AppHeader>

      <AwaySummary />
      {status.tmux === "down" && (
        <p className="mb-4 rounded border border-amber-700/60 bg-amber-950/40 px-3 py-2 text-sm text-amber-200">
          No tmux server is running on the watched socket. panecast will pick it up as soon as it starts.
        </p>
      )}
      {status.state === "live" && status.tmux !== "down" && topology.sessions.length === 0 && (
        <p className="text-sm text-muted">No tmux sessions to show yet.</p>
      )}

      {topology.sessions.map((s) => (
        <section key={s.id} className={`mb-6${s.offline ? " opacity-50 grayscale" : ""}`} aria-label={`session ${s.name}`} data-node={s.node} data-offline={s.offline ? "true" : undefined}>
          <h2 className="mb-2 flex items-baseline gap-2 text-sm font-semibold">
            {s.name}
            <span className="font-mono text-[10px] font-normal text-muted">{s.id}</span>
            {s.node && (
              <span data-testid="node-badge" className={`rounded px-1.5 py-0.5 text-[10px] font-normal ${s.offline ? "bg-red-900/40 text-red-300" : "bg-slate-700/50 text-muted"}`}>
                {s.node}
                {s.offline ? " · offline (unreachable, last screen shown)" : ""}
              </span>
            )}
          </h2>
          {s.windows.map((w) => (
            <div key={w.id} className="mb-3">
              {s.windows.length > 1 && (
                <h3 className="mb-1.5 text-xs text-muted">
                  {w.index}: {w.name}
                </h3>
              )}
              <div className="grid grid-cols-[repeat(auto-fill,minmax(min(100%,34rem),1fr))] gap-3" onKeyDown={onGridKey}>
                {w.panes.filter(shown).map((p) => (
                  <PaneCard key={p.id} info={p} onFocus={onFocus} />
                ))}
              </div>
            </div>
          ))}
        </section>
      ))}

      {focusedInfo && <FocusedPane info={focusedInfo} onClose={onClose} />}
    </div>
  );
}
