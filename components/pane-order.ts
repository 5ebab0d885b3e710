import type { AgentState, PaneInfo } from "../lib/protocol.ts";
import type { Sort } from "./view-prefs.ts";

/**
 * needs-you order: what waits for a person first, then what fails, works, idles, ended; then the
 * non-agent panes, then panes of an offline node; unknown last.
 */
const URGENCY: Record<AgentState, number> = { "waiting-for-input": 0, error: 1, working: 2, idle: 3, exited: 4, running: 5, quiet: 6, offline: 7 };

export interface OrderFacts {
  label: (p: PaneInfo) => string;
  state: (id: string) => AgentState | undefined;
  changedAt: (id: string) => number;
}

/** A comparator for panes by the chosen sort; ties keep tmux's order (the sort is stable). */
export function paneOrder(sort: Sort, f: OrderFacts): (a: PaneInfo, b: PaneInfo) => number {
  const urgency = (p: PaneInfo) => {
    const s = f.state(p.id);
    return s === undefined ? 8 : URGENCY[s];
  };
  switch (sort) {
    case "needs-you":
      return (a, b) => urgency(a) - urgency(b);
    case "activity":
      return (a, b) => f.changedAt(b.id) - f.changedAt(a.id);
    case "name":
      return (a, b) => f.label(a).localeCompare(f.label(b), undefined, { numeric: true, sensitivity: "base" });
  }
}
