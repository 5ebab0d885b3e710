"use client";

import type { AgentState } from "@/lib/protocol";
import { formatBytes, STATE_LOOK, STATES } from "./AgentBadges";
import { useFleetState } from "./fleet";

/** Agents per state, and the host's load and memory. */
export function StatusSummary({ paneIds }: { paneIds: string[] }) {
  const state = useFleetState();
  const counts = new Map<AgentState, number>();
  for (const id of paneIds) {
    const s = state.status[id]?.state;
    if (s) counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  const host = state.resources?.host;
  return (
    <div className="flex flex-wrap items-center gap-1.5 text-[11px]">
      {STATES.filter((s) => counts.get(s)).map((s) => (
        <span key={s} data-testid="state-count" data-state={s} className={`rounded px-1.5 py-0.5 ${STATE_LOOK[s].className}`}>
          {counts.get(s)} {STATE_LOOK[s].label}
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
