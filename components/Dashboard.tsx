"use client";

import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import type { PaneInfo, SessionInfo } from "@/lib/protocol";
import { AppHeader } from "./AppHeader";
import { useDocList } from "./docs/useDocList";
import { FleetProvider, useConnectionStatus, useFleet, useFleetState, useFleetVersion, useMutedPanes, usePacedBatches, useTopology } from "./fleet";
import { MuteControl } from "./MuteControl";
import { FocusedPane } from "./FocusedPane";
import { NeedsYou } from "./NeedsYou";
import { useStateFilter } from "./state-filter";
import { AwaySummary } from "./AwaySummary";
import { paneLabel } from "@/lib/topology";
import { PaneCard } from "./PaneCard";
import { paneOrder } from "./pane-order";
import { PaneRow } from "./PaneRow";
import { useGridKeys } from "./useGridKeys";
import { useViewPrefs, type ViewPrefs } from "./view-prefs";
import { ViewControls } from "./ViewControls";

export function Dashboard() {
  return (
    <FleetProvider>
      <Fleet />
    </FleetProvider>
  );
}

/** How often "last activity" order is taken again: cards do not jump at every line printed. */
const ACTIVITY_RESORT_MS = 5000;

function Fleet() {
  const docs = useDocList();
  const topology = useTopology();
  const status = useConnectionStatus();
  const { mirror } = useFleet();
  const [focused, setFocused] = useState<string | null>(null);
  const onFocus = useCallback((id: string) => setFocused(id), []);
  const onClose = useCallback(() => setFocused(null), []);
  const [prefs, setPrefs] = useViewPrefs();
  // `?pane=%3` (a notification's link) opens with that pane focused.
  useEffect(() => {
    const pane = new URLSearchParams(window.location.search).get("pane");
    if (pane && /^(\S+\/)?%\d+$/.test(pane)) setFocused(pane);
  }, []);
  const panes = useMemo(() => new Map<string, PaneInfo>(topology.sessions.flatMap((s) => s.windows.flatMap((w) => w.panes.map((p) => [p.id, p])))), [topology]);
  const focusedInfo = focused ? panes.get(focused) : undefined;
  usePacedBatches(focusedInfo ? focusedInfo.id : null);
  const [filter, setFilter] = useState("");
  const filterRef = useRef<HTMLInputElement>(null);
  const onGridKey = useGridKeys(filterRef, onFocus);
  useStateFilter(setFilter);
  const state = useFleetState();
  const needle = filter.trim().toLowerCase();
  const sort = prefs?.sort ?? "needs-you";
  // Agent states change the filter's result and the needs-you order: followed only while either is
  // in use, so otherwise a state change re-renders its own card only.
  useFleetVersion(needle !== "" || sort === "needs-you");
  const [, setTick] = useState(0);
  useEffect(() => {
    if (sort !== "activity") return;
    const t = setInterval(() => setTick((n) => n + 1), ACTIVITY_RESORT_MS);
    return () => clearInterval(t);
  }, [sort]);
  const onPin = useCallback(
    (id: string) => prefs && setPrefs({ pinned: prefs.pinned.includes(id) ? prefs.pinned.filter((p) => p !== id) : [...prefs.pinned, id] }),
    [prefs, setPrefs],
  );

  // A pane shows when its name, agent type, session, id or agent state contains the filter text.
  const shown = (p: PaneInfo) =>
    !needle || [paneLabel(p), p.agentType, p.sessionName, p.id, state.status[p.id]?.state ?? ""].some((v) => v.toLowerCase().includes(needle));
  const muted = useMutedPanes();
  const byPrefs = paneOrder(sort, { label: paneLabel, state: (id) => state.status[id]?.state, changedAt: (id) => mirror.pane(id)?.changedAt ?? 0 });
  // Muted panes last, whatever the sort.
  const order = (a: PaneInfo, b: PaneInfo) => Number(muted.has(a.id)) - Number(muted.has(b.id)) || byPrefs(a, b);
  const pinned = new Set(prefs?.pinned ?? []);

  return (
    <div className="mx-auto max-w-[2400px] px-3 pb-10 sm:px-5">
      <AppHeader docs={docs} current="panes" topology={topology} onFocus={onFocus} />

      {/* The needs-you strip mounts here: the first thing under the header, on the first screen at every size. */}

      <div className="mb-3 flex min-w-0 flex-wrap items-center gap-2">
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
          className="w-40 min-w-0 rounded border border-edge bg-panel px-2 py-0.5 text-xs text-fg placeholder:text-muted pointer-coarse:py-1.5"
        />
        <MuteControl />
        {prefs && <ViewControls prefs={prefs} onChange={setPrefs} />}
      </div>

      <NeedsYou onFocus={onFocus} />

      <AwaySummary />
      {status.tmux === "down" && (
        <p className="mb-4 rounded border border-amber-700/60 bg-warn-soft px-3 py-2 text-sm text-warn">
          No tmux server is running on the watched socket. panecast will pick it up as soon as it starts.
        </p>
      )}
      {status.state === "live" && status.tmux !== "down" && topology.sessions.length === 0 && (
        <p className="text-sm text-muted">No tmux sessions to show yet.</p>
      )}

      {prefs?.density === "list" && (
        <ul data-testid="pane-list" aria-label="panes" className="overflow-hidden rounded-lg border border-edge bg-panel">
          {[...panes.values()]
            .filter(shown)
            .sort(order)
            .sort((a, b) => Number(pinned.has(b.id)) - Number(pinned.has(a.id)))
            .map((p) => (
              <PaneRow key={p.id} info={p} onFocus={onFocus} pinned={pinned.has(p.id)} onPin={onPin} />
            ))}
        </ul>
      )}

      {prefs && prefs.density !== "list" && (
        <Grid sessions={topology.sessions} prefs={prefs} shown={shown} order={order} onFocus={onFocus} onPin={onPin} onGridKey={onGridKey} />
      )}

      {focusedInfo && <FocusedPane info={focusedInfo} onClose={onClose} />}
    </div>
  );
}

/** Cards by session and window, each window's sorted, sessions ordered by their first pane; pinned panes above all. */
function Grid({
  sessions,
  prefs,
  shown,
  order,
  onFocus,
  onPin,
  onGridKey,
}: {
  sessions: SessionInfo[];
  prefs: ViewPrefs;
  shown: (p: PaneInfo) => boolean;
  order: (a: PaneInfo, b: PaneInfo) => number;
  onFocus: (id: string) => void;
  onPin: (id: string) => void;
  onGridKey: (e: KeyboardEvent<HTMLElement>) => void;
}) {
  const compact = prefs.density === "compact";
  const pinned = new Set(prefs.pinned);
  const cols = compact ? "grid-cols-[repeat(auto-fill,minmax(min(100%,24rem),1fr))]" : "grid-cols-[repeat(auto-fill,minmax(min(100%,34rem),1fr))]";
  const cards = (list: PaneInfo[]) => (
    <div className={`grid ${cols} gap-3`} onKeyDown={onGridKey}>
      {list.map((p) => (
        <PaneCard key={p.id} info={p} onFocus={onFocus} compact={compact} pinned={pinned.has(p.id)} onPin={onPin} />
      ))}
    </div>
  );
  const all = sessions.flatMap((s) => s.windows.flatMap((w) => w.panes));
  const top = all.filter((p) => pinned.has(p.id) && shown(p)).sort(order);
  const visible = (s: SessionInfo) => s.windows.flatMap((w) => w.panes).filter((p) => shown(p) && !pinned.has(p.id)).sort(order);
  // A session goes where its first pane would in the sort (ties keep tmux's order).
  const ranked = sessions.map((s) => ({ s, first: visible(s)[0] })).sort((a, b) => (a.first && b.first ? order(a.first, b.first) : a.first ? -1 : b.first ? 1 : 0));
  return (
    <>
      {top.length > 0 && (
        <section className="mb-6" aria-label="pinned panes" data-testid="pinned">
          <h2 className="mb-2 text-sm font-semibold">Pinned</h2>
          {cards(top)}
        </section>
      )}
      {ranked.map(({ s }) => (
        <section key={s.id} className={`mb-6${s.offline ? " opacity-50 grayscale" : ""}`} aria-label={`session ${s.name}`} data-node={s.node} data-offline={s.offline ? "true" : undefined}>
          <h2 className="mb-2 flex min-w-0 flex-wrap items-baseline gap-2 text-sm font-semibold">
            {s.name}
            <span className="font-mono text-[10px] font-normal text-muted">{s.id}</span>
            {s.node && (
              <span data-testid="node-badge" className={`rounded px-1.5 py-0.5 text-[10px] font-normal ${s.offline ? "bg-red-900/40 text-red-300" : "bg-slate-700/50 text-muted"}`}>
                {s.node}
                {s.offline ? " · offline (unreachable, last screen shown)" : ""}
              </span>
            )}
          </h2>
          {s.windows.map((w) => {
            const list = w.panes.filter((p) => shown(p) && !pinned.has(p.id)).sort(order);
            return (
              <div key={w.id} className="mb-3">
                {s.windows.length > 1 && (
                  <h3 className="mb-1.5 text-xs text-muted">
                    {w.index}: {w.name}
                  </h3>
                )}
                {cards(list)}
              </div>
            );
          })}
        </section>
      ))}
    </>
  );
}
