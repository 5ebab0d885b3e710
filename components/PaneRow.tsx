"use client";

import { memo, useRef } from "react";
import { stripAnsi } from "@/lib/ansi";
import type { PaneInfo } from "@/lib/protocol";
import { AgentBadge } from "./AgentBadges";
import { useMuted, usePane, usePaneFacts, useReportNear } from "./fleet";
import { MuteMenu } from "./MuteMenu";
import { useNearScreen } from "./near-screen";
import { paneLabel } from "@/lib/topology";
import { PinButton } from "./PinButton";

/** Letters or digits: a line of only borders, rules or spinners says nothing in one line. */
const WORDS = /[\p{L}\p{N}]/u;

/** The last line of a screen with words on it, escapes and box borders removed. */
function lastLine(lines: readonly string[] | undefined): string {
  if (!lines) return "";
  for (let i = lines.length - 1; i >= 0; i--) {
    const t = stripAnsi(lines[i]!).replace(/[\u2500-\u257f]/g, "").trim();
    if (WORDS.test(t)) return t;
  }
  return "";
}

/**
 * A pane in the list view: its state, name, where it runs, and its last line of text. One tap opens
 * it. Like a card, it follows only its own pane, and only while near the screen.
 */
export const PaneRow = memo(function PaneRow({ info, onFocus, pinned, onPin }: { info: PaneInfo; onFocus: (id: string) => void; pinned: boolean; onPin: (id: string) => void }) {
  const box = useRef<HTMLLIElement>(null);
  const near = useNearScreen(box);
  const drawn = useNearScreen(box, "draw");
  const pane = usePane(info.id, drawn);
  useReportNear(info.id, near);
  const { status } = usePaneFacts(info.id);
  const muted = useMuted(info.id);
  const label = paneLabel(info);
  return (
    <li ref={box} data-testid="pane-row" data-pane-id={info.id} data-state={status?.state} data-muted={muted || undefined} className={`flex min-w-0 items-center gap-2 border-b border-edge px-2 py-1.5${muted ? " opacity-50" : ""}`}>
      <button type="button" onClick={() => onFocus(info.id)} aria-label={`open ${label}${status ? `, ${status.state}` : ""}`} className="flex min-w-0 flex-1 items-center gap-2 text-left focus:outline-none focus-visible:ring-2 focus-visible:ring-accent">
        <span className="w-20 shrink-0">{status ? <AgentBadge state={status.state} title={status.line ?? undefined} /> : <span className="text-[10px] text-muted">{info.agentType}</span>}</span>
        <span className="flex min-w-0 flex-1 flex-col">
          <span className="flex min-w-0 items-baseline gap-2">
            <span className="truncate text-sm font-semibold">{label}</span>
            <span className="shrink-0 font-mono text-[10px] text-muted">
              {info.sessionName}:{info.windowIndex}.{info.index}
            </span>
          </span>
          <span data-testid="pane-row-line" className="truncate font-mono text-[11px] text-muted">
            {lastLine(pane?.lines)}
          </span>
        </span>
      </button>
      <MuteMenu info={info} muted={muted} />
      <PinButton id={info.id} label={label} pinned={pinned} onPin={onPin} />
    </li>
  );
});
