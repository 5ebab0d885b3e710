"use client";

import { createContext, useCallback, useContext, useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from "react";
import { FleetConnection, type ConnectionStatus } from "@/lib/client/connection";
import { EMPTY_SUMMARY, NO_FACTS, type FleetState, type FleetSummary, type PaneFacts } from "@/lib/client/fleet-state";
import { FleetMirror, type MirroredPane } from "@/lib/client/mirror";
import { pageKey } from "@/lib/client/page-key";
import { targetOfPane, type MuteTarget } from "@/lib/mute";
import type { FleetEvent, PaneAlert, SessionInfo, Topology } from "@/lib/protocol";
import { useMuteMatcher } from "./mute-prefs";

const FleetContext = createContext<FleetConnection | null>(null);
const EMPTY: Topology = { sessions: [] };

/**
 * One connection and mirror for the page; every component reads from it. With `panes` false (a page
 * that shows only the header) the connection never subscribes to panes, so no screen is sent to it.
 */
export function FleetProvider({ children, panes = true }: { children: ReactNode; panes?: boolean }) {
  const [conn] = useState(
    () => new FleetConnection(new FleetMirror(), { basePath: process.env.NEXT_PUBLIC_PANECAST_BASE_PATH ?? "", panes, pageKey }),
  );
  useEffect(() => {
    conn.start();
    return () => conn.stop();
  }, [conn]);
  return (
    <FleetContext.Provider value={conn}>
      <MuteSync />
      {children}
    </FleetContext.Provider>
  );
}

/**
 * Hands this browser's mutes to the fleet state, which leaves muted panes out of the counts: again
 * when the mutes or the topology change (names a glob matches), from the panes' topology, or on a
 * page without the grid the sessions push's.
 */
function MuteSync() {
  const { state } = useFleet();
  const matcher = useMuteMatcher();
  const topology = useTopology();
  const sessionList = useSessionList();
  useEffect(() => {
    const targets = new Map<string, MuteTarget>();
    for (const s of topology.sessions.length > 0 ? topology.sessions : sessionList) {
      for (const w of s.windows) for (const p of w.panes) targets.set(p.id, targetOfPane(p, w.name));
    }
    state.setMute((st) => matcher.muted({ ...(targets.get(st.pane) ?? { pane: st.pane, session: "", window: null, windowIndex: -1, agentId: null }), agentType: st.agentType, state: st.state }));
  }, [state, matcher, topology, sessionList]);
  return null;
}

/**
 * Tells the server whether this view of a pane is on screen or near it: panes no view shows are sent
 * less often (`view:set`, the hub's `far_interval_ms`).
 */
export function useReportNear(id: string, near: boolean): void {
  const conn = useFleet();
  const view = useRef<ReturnType<FleetConnection["far"]["watch"]> | null>(null);
  const nearRef = useRef(near);
  nearRef.current = near;
  useEffect(() => {
    const v = conn.far.watch(id, nearRef.current);
    view.current = v;
    return () => {
      v.done();
      view.current = null;
    };
  }, [conn, id]);
  useEffect(() => view.current?.set(near), [near]);
}

/** Whether this browser muted the pane: re-renders only when that changes. */
export function useMuted(id: string): boolean {
  const { state } = useFleet();
  return useSyncExternalStore(
    (cb) => state.on("muted", perFrame(cb)),
    () => state.muted.has(id),
    () => false,
  );
}

/** Every pane this browser muted (a new set when one is muted or heard again). */
export function useMutedPanes(): ReadonlySet<string> {
  const { state } = useFleet();
  return useSyncExternalStore(
    (cb) => state.on("muted", perFrame(cb)),
    () => state.muted,
    () => NO_PANES,
  );
}

const NO_PANES: ReadonlySet<string> = new Set();

export function useFleet(): FleetConnection {
  const c = useContext(FleetContext);
  if (!c) throw new Error("useFleet outside FleetProvider");
  return c;
}

/**
 * Every store notification waits for an animation frame, and all of a frame's notifications run in
 * one callback, so React renders them (and the grid's screens paint) as one batch. Frames with work
 * are at least MIN_FRAME_MS apart: most of a busy page's cost is per frame (paint, layerize, commit),
 * whatever changed in it, and a streaming screen glanced at in the grid reads the same at 10 frames a
 * second as at 60. Past that, frames are spaced so that they take at most FRAME_BUDGET of the main
 * thread, from what the last ones cost (script, style, layout, paint and commit): a fast machine
 * shows 10 a second, a slow or loaded one fewer, never under 1000 / MAX_FRAME_MS. The focused
 * terminal keeps its own schedule, so typing there is not slowed.
 */
const MIN_FRAME_MS = 100;
const MAX_FRAME_MS = 400;
const FRAME_BUDGET = 0.04;
const due = new Set<() => void>();
let frame = false;
let lastFlush = 0;
/** What a frame with work costs, smoothed (ms of main thread, from its callbacks to after its commit). */
let frameCost = 0;
const afterFrame = typeof MessageChannel === "undefined" ? null : new MessageChannel();

function flush(now: number): void {
  frame = false;
  lastFlush = now;
  const start = performance.now();
  const list = [...due];
  due.clear();
  for (const cb of list) cb();
  // A message posted now runs once this frame is rendered and committed, in the task after it.
  if (afterFrame) {
    afterFrame.port1.onmessage = () => {
      const cost = performance.now() - start;
      frameCost = frameCost === 0 ? cost : frameCost * 0.8 + cost * 0.2;
    };
    afterFrame.port2.postMessage(null);
  }
}

function schedule(): void {
  if (frame) return;
  frame = true;
  const interval = Math.min(MAX_FRAME_MS, Math.max(MIN_FRAME_MS, frameCost / FRAME_BUDGET));
  const wait = lastFlush + interval - performance.now();
  if (wait > 4) setTimeout(() => requestAnimationFrame(flush), wait);
  else requestAnimationFrame(flush);
}

/**
 * While no pane is focused, the server sends this page batches at most every MIN_FRAME_MS, the grid's
 * frame interval: each message costs the browser a task, and more often than it paints shows nothing
 * sooner. Off while a pane is focused, whose terminal shows every change (typed keys' echo) at once;
 * the server is told which, so it reads that pane as often as it changes (other streaming panes less).
 */
export function usePacedBatches(focused: string | null): void {
  const conn = useFleet();
  useEffect(() => {
    conn.setFrameMs(focused ? 0 : MIN_FRAME_MS);
    conn.setFocus(focused);
    return () => {
      conn.setFrameMs(0);
      conn.setFocus(null);
    };
  }, [conn, focused]);
}

/** Calls `cb` at most once per animation frame, with every other component's updates of that frame. */
export function perFrame(cb: () => void): () => void {
  return () => {
    due.add(cb);
    schedule();
  };
}

export function useTopology(): Topology {
  const { mirror } = useFleet();
  return useSyncExternalStore(
    (cb) => mirror.subscribe(perFrame(cb)),
    () => mirror.topology,
    () => EMPTY,
  );
}

const unsubscribed = () => () => {};

/**
 * One pane's screen. With `live` false it stops following the pane (a card far off screen): it shows
 * what it had until it re-renders for another reason, and catches up once live again.
 */
export function usePane(id: string, live = true): MirroredPane | undefined {
  const { mirror } = useFleet();
  const subscribe = useCallback((cb: () => void) => mirror.subscribePane(id, perFrame(cb)), [mirror, id]);
  return useSyncExternalStore(live ? subscribe : unsubscribed, () => mirror.pane(id), () => undefined);
}

const INITIAL: ConnectionStatus = { state: "connecting", nextAttemptAt: null, attempt: 0, tmux: null, principal: null, authEnabled: false, unauthorized: false, lastError: null };

export function useConnectionStatus(): ConnectionStatus {
  const conn = useFleet();
  return useSyncExternalStore(conn.onStatus, () => conn.status, () => INITIAL);
}

/** Status, git, resources, alerts and events, for code that reads them outside rendering. */
export function useFleetState(): FleetState {
  return useFleet().state;
}

/** Any change of the fleet state, at most once a frame, while `live` (a view filtering by state). */
export function useFleetVersion(live: boolean): number {
  const { state } = useFleet();
  const subscribe = useCallback((cb: () => void) => state.subscribe(perFrame(cb)), [state]);
  return useSyncExternalStore(live ? subscribe : unsubscribed, () => state.version, () => 0);
}

/** One pane's status, git and resources: re-renders only when they change, at most once a frame. */
export function usePaneFacts(id: string): PaneFacts {
  const { state } = useFleet();
  return useSyncExternalStore(
    (cb) => state.on(`pane:${id}`, perFrame(cb)),
    () => state.pane(id),
    () => NO_FACTS,
  );
}

/** Agents per state and the host: re-renders only when a count or the host changes. */
export function useSummary(): FleetSummary {
  const { state } = useFleet();
  return useSyncExternalStore(
    (cb) => state.on("summary", perFrame(cb)),
    () => state.summary,
    () => EMPTY_SUMMARY,
  );
}

/** Changes when the highlight patterns do: what a screen's line colours depend on besides its lines. */
export function useHighlightVersion(): number {
  const { state } = useFleet();
  return useSyncExternalStore(
    (cb) => state.on("highlight", perFrame(cb)),
    () => state.versionOf("highlight"),
    () => 0,
  );
}

export function useAlerts(): PaneAlert[] {
  const { state } = useFleet();
  return useSyncExternalStore(
    (cb) => state.on("alerts", perFrame(cb)),
    () => state.alerts,
    () => NO_ALERTS,
  );
}

export function useEvents(): FleetEvent[] {
  const { state } = useFleet();
  return useSyncExternalStore(
    (cb) => state.on("events", perFrame(cb)),
    () => state.events,
    () => NO_EVENTS,
  );
}

/** The sessions, windows and panes of the sessions push: the topology of a page that follows no pane. */
export function useSessionList(): SessionInfo[] {
  const { state } = useFleet();
  return useSyncExternalStore(
    (cb) => state.on("sessions", perFrame(cb)),
    () => state.sessionList,
    () => NO_SESSIONS,
  );
}

const NO_SESSIONS: SessionInfo[] = [];
const NO_ALERTS: PaneAlert[] = [];
const NO_EVENTS: FleetEvent[] = [];
