"use client";

import { createContext, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from "react";
import { FleetConnection, type ConnectionStatus } from "@/lib/client/connection";
import type { FleetState } from "@/lib/client/fleet-state";
import { FleetMirror, type MirroredPane } from "@/lib/client/mirror";
import type { Topology } from "@/lib/protocol";

const FleetContext = createContext<FleetConnection | null>(null);
const EMPTY: Topology = { sessions: [] };

/** One connection and mirror for the page; every component reads from it. */
export function FleetProvider({ children }: { children: ReactNode }) {
  const [conn] = useState(
    () => new FleetConnection(new FleetMirror(), { basePath: process.env.NEXT_PUBLIC_PANECAST_BASE_PATH ?? "" }),
  );
  useEffect(() => {
    conn.start();
    return () => conn.stop();
  }, [conn]);
  return <FleetContext.Provider value={conn}>{children}</FleetContext.Provider>;
}

export function useFleet(): FleetConnection {
  const c = useContext(FleetContext);
  if (!c) throw new Error("useFleet outside FleetProvider");
  return c;
}

/** Calls `cb` at most once per animation frame: 50 panes × 10 updates/s become one paint each. */
function perFrame(cb: () => void): () => void {
  let pending = false;
  return () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      cb();
    });
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

export function usePane(id: string): MirroredPane | undefined {
  const { mirror } = useFleet();
  return useSyncExternalStore(
    (cb) => mirror.subscribePane(id, perFrame(cb)),
    () => mirror.pane(id),
    () => undefined,
  );
}

const INITIAL: ConnectionStatus = { state: "connecting", nextAttemptAt: null, attempt: 0, tmux: null, principal: null, authEnabled: false, unauthorized: false, lastError: null };

export function useConnectionStatus(): ConnectionStatus {
  const conn = useFleet();
  return useSyncExternalStore(conn.onStatus, () => conn.status, () => INITIAL);
}

/** Status, git, resources, alerts and events; re-renders at most once per animation frame. */
export function useFleetState(): FleetState {
  const { state } = useFleet();
  useSyncExternalStore(
    (cb) => state.subscribe(perFrame(cb)),
    () => state.version,
    () => 0,
  );
  return state;
}
