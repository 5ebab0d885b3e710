"use client";

import { memo, useCallback, useRef } from "react";
import type { PaneInfo } from "@/lib/protocol";
import { paneLabel } from "@/lib/topology";
import { AgentBadge, ErrorReasonBadge, GitLine, ResourceLine } from "./AgentBadges";
import { countRender } from "./render-count";
import { useFleetState, useHighlightVersion, useMuted, usePaneFacts, useReportNear } from "./fleet";
import { MuteMenu } from "./MuteMenu";
import { useNearScreen } from "./near-screen";
import { PinButton } from "./PinButton";
import { COMPACT_LINES, LiveScreen } from "./Screen";

/**
 * A pane in the grid: its agent's name, type and size, and its live screen. Click to focus. It follows
 * its own pane only (status, git, resources), so other panes' changes never re-render it; its screen
 * follows the pane's frames without rendering the card at all (LiveScreen). Compact, it shows only
 * the last lines with text, smaller.
 */
export const PaneCard = memo(function PaneCard({
  info,
  onFocus,
  compact = false,
  pinned = false,
  onPin,
}: {
  info: PaneInfo;
  onFocus: (id: string) => void;
  compact?: boolean;
  pinned?: boolean;
  onPin?: (id: string) => void;
}) {
  const box = useRef<HTMLElement>(null);
  // Kept current within half a screen; redrawn only within a tenth of one (near-screen.ts).
  const near = useNearScreen(box);
  const drawn = useNearScreen(box, "draw");
  useReportNear(info.id, near);
  const facts = usePaneFacts(info.id);
  const { status, git, resources: res } = facts;
  const state = useFleetState();
  const highlight = useHighlightVersion();
  const muted = useMuted(info.id);
  // A new function when the patterns change, so the lines' highlighting follows.
  const severity = useCallback((raw: string) => state.severity(raw), [state, highlight]);
  countRender(info.id, [info, onFocus, compact, pinned, onPin, near, drawn, facts, highlight, muted]);
  return (
    <article
      ref={box}
      tabIndex={0}
      data-testid="pane-card"
      data-pane-card={info.id}
      data-live={drawn}
      data-muted={muted || undefined}
      data-pane-id={info.id}
      aria-label={`${paneLabel(info, git?.root ?? null)}${status ? `, ${status.state}${status.reason ? ` (${status.reason})` : ""}` : ""} (Enter to open)`}
      className={`pane-card flex min-w-0 flex-col overflow-hidden rounded-lg border border-edge bg-panel focus:outline-none focus-visible:ring-2 focus-visible:ring-accent${muted ? " opacity-50" : ""}`}
      // Off screen, the card keeps this size without laying out its lines (content-visibility: auto).
      style={{ containIntrinsicSize: `auto ${Math.round((compact ? COMPACT_LINES * 11.9 : info.height * 13.75) + 64)}px` }}
    >
      <header className="flex items-center gap-2 border-b border-edge px-3 py-1.5 text-xs">
        {status && <AgentBadge state={status.state} title={status.line ?? undefined} />}
        {status?.state === "error" && status.reason && <ErrorReasonBadge reason={status.reason} resetAt={status.resetAt} />}
        {status && (
          <span
            data-testid="agent-source"
            data-source={status.source}
            title={status.source === "hook" ? "state reported by the agent's own hooks" : "state read from the screen"}
            className="rounded border border-edge px-1 py-px text-[9px] uppercase tracking-wide text-muted"
          >
            {status.source}
          </span>
        )}
        <span data-testid="pane-title" className="min-w-0 truncate font-semibold text-fg" title={info.title}>
          {paneLabel(info, git?.root ?? null)}
        </span>
        <span className="rounded bg-edge px-1.5 py-0.5 text-[10px] uppercase tracking-wide text-muted">{info.agentType}</span>
        {info.dead && <span className="rounded bg-red-900/60 px-1.5 py-0.5 text-[10px] text-red-200">exited</span>}
        <span className="ml-auto hidden shrink-0 font-mono text-[10px] text-muted sm:inline">
          {info.id} · {info.width}×{info.height}
        </span>
        <MuteMenu info={info} muted={muted} />
        {onPin && <PinButton id={info.id} label={paneLabel(info)} pinned={pinned} onPin={onPin} />}
        <button
          type="button"
          onClick={() => onFocus(info.id)}
          className="shrink-0 rounded px-1.5 py-0.5 text-[10px] text-muted hover:bg-edge hover:text-fg focus:outline-none focus-visible:ring-2 focus-visible:ring-accent"
          aria-label={`focus ${paneLabel(info, git?.root ?? null)}`}
        >
          focus
        </button>
      </header>
      {/* The screen is text a screen reader reads, not a button's label: a click focuses the pane,
          a click on a link opens the link; the header's button focuses from the keyboard. */}
      <div
        onClick={(e) => {
          if (!(e.target as HTMLElement).closest("a")) onFocus(info.id);
        }}
        className="term-surface block cursor-pointer overflow-x-auto p-2 text-left"
      >
        <LiveScreen
          id={info.id}
          live={drawn}
          compact={compact}
          severity={severity}
          data-testid="pane"
          data-pane-id={info.id}
          className={`pane-screen pane-box is-card ${compact ? "text-[9.5px]" : "text-[11px]"}`}
          style={{ width: `${info.width}ch`, height: `${(compact ? COMPACT_LINES : info.height) * 1.25}em` }}
        />
      </div>
      {(git || res) && (
        <footer className="flex flex-wrap items-center gap-3 border-t border-edge px-3 py-1">
          {git && <GitLine g={git} />}
          {res && (
            <span className="ml-auto">
              <ResourceLine r={res} />
            </span>
          )}
        </footer>
      )}
    </article>
  );
}, (a, b) => a.onFocus === b.onFocus && a.compact === b.compact && a.pinned === b.pinned && a.onPin === b.onPin && sameInfo(a.info, b.info));

/** Topology pushes bring new objects for every pane: a card re-renders only if its own pane's differ. */
function sameInfo(a: PaneInfo, b: PaneInfo): boolean {
  if (a === b) return true;
  for (const k of Object.keys(a) as Array<keyof PaneInfo>) {
    if (k === "options" ? JSON.stringify(a.options) !== JSON.stringify(b.options) : a[k] !== b[k]) return false;
  }
  return Object.keys(a).length === Object.keys(b).length;
}
