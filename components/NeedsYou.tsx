"use client";

import { useEffect, useRef, useState } from "react";
import type { NeedsYouItem } from "@/lib/protocol";
import { roleAtLeast } from "@/lib/roles";
import { AgentBadge } from "./AgentBadges";
import { AnswerButtons } from "./AnswerButtons";
import { useConnectionStatus, useMutedPanes } from "./fleet";
import { useNeedsYou } from "./useNeedsYou";

/** Who an item is about, in a few characters: its agent id, else session:window and the pane. */
export function itemLabel(i: NeedsYouItem): string {
  return i.agentId ?? `${i.session}:${i.window} ${i.pane}`;
}

/** In a cluster, the node an item's pane runs on: two nodes can run agents of the same name. */
export function NodeTag({ node }: { node: string | undefined }) {
  if (!node) return null;
  return (
    <span data-testid="needs-you-node" className="ml-1.5 rounded bg-slate-500/15 px-1 text-[10px] text-muted">
      {node}
    </span>
  );
}

function age(since: string, now: number): string {
  const s = Math.max(0, Math.round((now - Date.parse(since)) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  return `${Math.floor(s / 3600)}h`;
}

/**
 * The needs-you strip at the top of the page: every pane waiting for input or failed, oldest first,
 * as the server keeps them, with one-tap answers for operators. `n` (outside a text field) opens the
 * next open item's pane, in turn. Items of panes this browser muted are left out of the list, its
 * count and `n`, behind a "muted" toggle.
 */
export function NeedsYou({ onFocus }: { onFocus: (pane: string) => void }) {
  const all = useNeedsYou().open;
  const mutedPanes = useMutedPanes();
  const open = all.filter((i) => !mutedPanes.has(i.pane));
  const muted = all.filter((i) => mutedPanes.has(i.pane));
  const [showMuted, setShowMuted] = useState(false);
  const { principal } = useConnectionStatus();
  const mayAnswer = principal !== null && roleAtLeast(principal.role, "operator");
  const next = useRef(0);
  const openRef = useRef(open);
  openRef.current = open;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (e.key !== "n" || e.ctrlKey || e.metaKey || e.altKey || t?.closest("input, textarea, select, [contenteditable], [role=dialog]")) return;
      const items = openRef.current;
      if (items.length === 0) return;
      e.preventDefault();
      const item = items[next.current % items.length]!;
      next.current = (next.current + 1) % items.length;
      onFocus(item.pane);
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [onFocus]);

  const now = Date.now();
  const shown = showMuted ? [...open, ...muted] : open;
  return (
    <section data-testid="needs-you" aria-label="needs you" data-count={open.length} data-muted={muted.length} className="mb-3">
      {open.length === 0 && <p className="text-xs text-muted">Nothing needs you.</p>}
      {muted.length > 0 && (
        <button type="button" data-testid="needs-you-muted" aria-expanded={showMuted} onClick={() => setShowMuted((v) => !v)} className="mb-1 text-[11px] text-muted underline-offset-2 hover:underline">
          {showMuted ? "hide" : "show"} {muted.length} muted
        </button>
      )}
      {shown.length > 0 && (
        <ol className="flex max-h-[45vh] flex-col gap-1.5 overflow-y-auto">
          {shown.map((i) => (
            <li
              key={i.id}
              data-testid="needs-you-item"
              data-pane={i.pane}
              data-state={i.state}
              data-offline={i.offline ? "true" : undefined}
              data-muted={mutedPanes.has(i.pane) || undefined}
              className={`flex flex-wrap items-center gap-x-2 gap-y-1 rounded border border-amber-700/50 bg-panel px-2 py-1.5 text-xs${mutedPanes.has(i.pane) ? " opacity-50" : ""}`}
            >
              <AgentBadge state={i.state} title={i.reason} />
              <button type="button" onClick={() => onFocus(i.pane)} className="min-w-0 flex-1 basis-48 text-left" title="open the pane">
                <span className="font-semibold">{itemLabel(i)}</span>
                <NodeTag node={i.node} />
                <span className="ml-1.5 text-muted">{age(i.since, now)}</span>
                {i.line && <span className="ml-1.5 break-words font-mono text-muted">{i.line}</span>}
              </button>
              {i.offline && <span className="text-[11px] text-muted">node offline</span>}
              {mayAnswer && !i.offline && <AnswerButtons item={i} />}
              {i.answer?.outcome === "not-answered" && (
                <span data-testid="not-answered" className="text-[11px] text-red-300">
                  “{i.answer.label}” was sent, but the prompt is still there
                </span>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
