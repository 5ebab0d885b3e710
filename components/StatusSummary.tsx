"use client";

import { formatBytes, STATE_LOOK, STATES } from "./AgentBadges";
import { useSummary } from "./fleet";
import { requestStateFilter } from "./state-filter";

/**
 * Agents per state (each a link that filters the grid to that state), and the host's load and memory:
 * re-renders only when a count or the host changes.
 */
export function StatusSummary() {
  const { counts, host } = useSummary();
  return (
    <div className="flex flex-wrap items-center gap-1 text-[11px] md:gap-1.5">
      {STATES.filter((s) => counts[s] > 0).map((s) => (
        <button key={s} type="button" data-testid="state-count" data-state={s} title={`show only ${STATE_LOOK[s].label} panes`} onClick={() => requestStateFilter(s)} className={`whitespace-nowrap rounded px-1 py-0.5 md:px-1.5 underline-offset-2 hover:underline ${STATE_LOOK[s].className}`}>
          {counts[s]}
          {/* Narrower than md the pill's colour names the state; the name stays for screen readers. */}
          <span className="max-md:sr-only"> {STATE_LOOK[s].label}</span>
        </button>
      ))}
      {host && (
        <span data-testid="host-strip" className="ml-1 font-mono text-muted" title={`${host.cpus} cpus`}>
          load {host.load[0].toFixed(2)} · mem {formatBytes(host.memTotalBytes - host.memAvailableBytes)} / {formatBytes(host.memTotalBytes)}
        </span>
      )}
    </div>
  );
}
