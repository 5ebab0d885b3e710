"use client";

import { useEffect, useLayoutEffect, useRef, useState } from "react";
import type { PaneInfo } from "@/lib/protocol";
import { roleAtLeast } from "@/lib/roles";
import { useConnectionStatus, useFleet, useFleetState, useHighlightVersion, usePane } from "./fleet";
import { PaneInput } from "./PaneInput";
import { paneLabel } from "./PaneCard";
import { ScreenLines } from "./PaneScreen";
import { Timeline } from "./Timeline";

/**
 * One pane, large, with its scrollback: the history tmux keeps above the screen (fetched once on
 * open), then the lines that scrolled off while it was open, then the live screen. Stays pinned to
 * the bottom unless the reader scrolled up. Esc closes.
 */
export function FocusedPane({ info, onClose }: { info: PaneInfo; onClose: () => void }) {
  const conn = useFleet();
  const pane = usePane(info.id);
  const { principal } = useConnectionStatus();
  const state = useFleetState();
  useHighlightVersion();
  const canType = !!principal && roleAtLeast(principal.role, "operator");
  const [history, setHistory] = useState<string[] | null>(null);
  const [scrolledAtOpen] = useState(() => conn.mirror.pane(info.id)?.scrolled.length ?? 0);
  const box = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);

  useEffect(() => {
    let live = true;
    conn.history(info.id).then(
      (h) => live && setHistory(h),
      () => live && setHistory([]),
    );
    return () => {
      live = false;
    };
  }, [conn, info.id]);

  useEffect(() => {
    // Escape closes, unless it was pressed while typing in the input box.
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && !(e.target instanceof HTMLTextAreaElement) && onClose();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);

  useLayoutEffect(() => {
    const el = box.current;
    if (el && pinned.current) el.scrollTop = el.scrollHeight;
  });

  const lines = [...(history ?? []), ...(pane?.scrolled.slice(scrolledAtOpen) ?? []), ...(pane?.lines ?? [])];
  return (
    <div role="dialog" aria-modal="true" aria-label={`pane ${paneLabel(info)}`} className="fixed inset-0 z-50 flex flex-col bg-ink/95 backdrop-blur-sm">
      <header className="flex items-center gap-3 border-b border-edge px-4 py-2 text-sm">
        <span className="font-semibold">{paneLabel(info)}</span>
        <span className="text-xs text-muted">
          {info.sessionName}:{info.windowIndex}.{info.index} · {info.id} · {info.command} · {info.width}×{info.height}
        </span>
        {history === null && <span className="text-xs text-muted">loading scrollback…</span>}
        <button type="button" onClick={onClose} className="ml-auto rounded border border-edge px-2 py-0.5 text-xs hover:bg-edge" aria-label="close">
          Esc ✕
        </button>
      </header>
      <Timeline pane={info.id} width={info.width} />
      <div
        ref={box}
        className="term-surface flex-1 overflow-auto p-4 peer-data-[rewound=true]:hidden"
        onScroll={(e) => {
          const el = e.currentTarget;
          pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
        }}
      >
        <pre data-testid="focused-pane" data-pane-id={info.id} className="pane-screen text-[13px]" style={{ width: `${info.width}ch` }}>
          <ScreenLines lines={lines} severity={(plain) => state.severity(plain)} />
        </pre>
      </div>
      {canType && <PaneInput pane={info.id} label={paneLabel(info)} />}
    </div>
  );
}
