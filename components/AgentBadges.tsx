"use client";

import { AGENT_STATES, type AgentState, type ErrorReason, type GitState, type PaneResources } from "@/lib/protocol";
import { plural } from "@/lib/plural";

export const STATE_LOOK: Record<AgentState, { label: string; className: string }> = {
  // Colours per theme in app/globals.css (.state-*), each checked for contrast.
  working: { label: "working", className: "state-working" },
  idle: { label: "idle", className: "state-idle" },
  "waiting-for-input": { label: "waiting", className: "state-waiting-for-input animate-pulse" },
  error: { label: "error", className: "state-error" },
  exited: { label: "exited", className: "state-exited" },
  running: { label: "running", className: "state-running" },
  quiet: { label: "quiet", className: "state-quiet" },
  offline: { label: "offline", className: "state-offline ring-1 ring-zinc-600" },
};

/** In the protocol's order. */
export const STATES: readonly AgentState[] = AGENT_STATES;

export function AgentBadge({ state, title }: { state: AgentState; title?: string | undefined }) {
  const look = STATE_LOOK[state];
  return (
    <span data-testid="agent-status" data-state={state} title={title} className={`rounded px-1.5 py-0.5 text-[10px] font-semibold uppercase tracking-wide ${look.className}`}>
      {look.label}
    </span>
  );
}

/** Why an agent is in error, with the reset time of a rate limit ("rate limit · resets 15:00"). */
export function ErrorReasonBadge({ reason, resetAt }: { reason: ErrorReason; resetAt?: string | undefined }) {
  const reset = resetAt ? new Date(resetAt) : null;
  const time = reset && !Number.isNaN(reset.getTime()) ? reset.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) : null;
  return (
    <span data-testid="error-reason" data-reason={reason} title={resetAt ? `resets at ${resetAt}` : undefined} className="rounded bg-red-950 px-1.5 py-0.5 text-[10px] text-red-200">
      {reason.replace("-", " ")}
      {time ? ` · resets ${time}` : ""}
    </span>
  );
}

export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GB`;
  if (n >= 1024 ** 2) return `${Math.round(n / 1024 ** 2)} MB`;
  return `${Math.round(n / 1024)} kB`;
}

export function ResourceLine({ r }: { r: PaneResources }) {
  return (
    <span data-testid="pane-resources" className="font-mono text-[10px] text-muted" title={`${r.processes} processes`}>
      {r.cpu.toFixed(0)}% cpu · {formatBytes(r.rssBytes)}
    </span>
  );
}

export function GitLine({ g }: { g: GitState }) {
  return (
    <span data-testid="pane-git" className="flex items-center gap-1.5 font-mono text-[10px] text-muted" title={g.root}>
      <span className="text-fg">⎇ {g.branch ?? "detached"}</span>
      {(g.ahead > 0 || g.behind > 0) && (
        <span>
          ↑{g.ahead} ↓{g.behind}
        </span>
      )}
      {g.dirty && (
        <span>
          {plural(g.filesChanged, "file")} <span className="text-emerald-400">+{g.linesAdded}</span> <span className="text-red-400">−{g.linesRemoved}</span>
        </span>
      )}
      {!g.dirty && <span>clean</span>}
    </span>
  );
}
