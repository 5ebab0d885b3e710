"use client";

import { formatBytes, STATE_LOOK, STATES } from "./AgentBadges";
import { useSummary } from "./fleet";

/** Agents per state, and the host's load and memory: re-renders only when a count or the host changes. */
export function StatusSummary() {
  const { counts, host } = useSummary();
  return (
    <div className="flex flex-wrap items-center gap-1.5 text-[11px]">
      {STATES.filter((s) => counts[s] > 0).map((s) => (
        <span key={s} data-testid="state-count" data-state={s} className={`rounded px-1.5 py-0.5 ${STATE_LOOK[s].className}`}>
          {counts[s]} {STATE_LOOK[s].label}
        </span>
      ))}
      {host && (
        <span data-testid="host-strip" className="ml-1 font-mono text-muted" title={`${host.cpus} cpus`}>
          load {host.load[0].toFixed(2)} · mem {formatBytes(host.memTotalBytes - host.memAvailableBytes)} / {formatBytes(host.memTotalBytes)}
        </span>
      )}
    </div>
  );
}
