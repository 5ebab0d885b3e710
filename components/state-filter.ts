"use client";

import { useEffect } from "react";
import type { AgentState } from "@/lib/protocol";

const EVENT = "panecast:state-filter";

/** Asks the page's pane grid to show only panes in this state (the header's state counts are links). */
export function requestStateFilter(state: AgentState): void {
  window.dispatchEvent(new CustomEvent<AgentState>(EVENT, { detail: state }));
}

/** Calls `cb` with the state a header count asked to filter by. */
export function useStateFilter(cb: (state: AgentState) => void): void {
  useEffect(() => {
    const on = (e: Event) => cb((e as CustomEvent<AgentState>).detail);
    window.addEventListener(EVENT, on);
    return () => window.removeEventListener(EVENT, on);
  }, [cb]);
}
