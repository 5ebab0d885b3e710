"use client";

import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import type { PaneInfo, TerminalInput } from "@/lib/protocol";
import { roleAtLeast } from "@/lib/roles";
import { useConnectionStatus, useFleet, usePaneFacts, useReportNear } from "./fleet";
import { PaneInput } from "./PaneInput";
import { paneLabel } from "@/lib/topology";
import { EXIT_CHORD, KeyOutbox } from "./terminal-keys";
import { loadTerminalSize, saveTerminalSize, type TerminalSize } from "./terminal-size";
import { TerminalView, type TerminalHandle } from "./TerminalView";
import { Timeline } from "./Timeline";

/**
 * One pane, large, as a real terminal with its scrollback (search and copy in the header). Operators
 * type through the input box (text checked on screen, critical keys confirmed) or switch on keyboard
 * mode, where every key goes to the pane as it is pressed, Esc included: the exit chord leaves it.
 * Esc closes the view from anywhere else, the input box included. `children` go below the terminal
 * (views that follow the same pane, such as a timeline).
 */
export function FocusedPane({ info, onClose, children }: { info: PaneInfo; onClose: () => void; children?: ReactNode }) {
  const conn = useFleet();
  // Shown here in full, whatever its card's place in the grid.
  useReportNear(info.id, true);
  const { principal } = useConnectionStatus();
  // A pane whose cluster node is unreachable: its last screen stays, but nothing can reach it.
  const offline = usePaneFacts(info.id).status?.state === "offline";
  const canType = !!principal && roleAtLeast(principal.role, "operator");
  const [keyboard, setKeyboard] = useState(false);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const [query, setQuery] = useState("");
  const [found, setFound] = useState<boolean | null>(null);
  const termRef = useRef<TerminalHandle>(null);
  const [size, setSize] = useState<TerminalSize>(loadTerminalSize);
  const [fits, setFits] = useState(true);
  const keyboardOn = keyboard && canType && !offline;
  const keyboardRef = useRef(keyboardOn);
  keyboardRef.current = keyboardOn;

  const outbox = useMemo(
    () =>
      new KeyOutbox(
        async (input) => {
          const r = await conn.keys({ pane: info.id, input });
          return "error" in r ? `${r.error.code}: ${r.error.message}` : null;
        },
        (text) => setNote({ ok: false, text }),
      ),
    [conn, info.id],
  );
  const onInput = useCallback((step: TerminalInput) => outbox.push(step), [outbox]);
  const leaveKeyboard = useCallback(() => setKeyboard(false), []);
  const copy = useCallback((text: string) => {
    if (!text) return setNote({ ok: false, text: "select text in the terminal first" });
    navigator.clipboard?.writeText(text).then(
      () => setNote({ ok: true, text: `copied ${text.length} characters` }),
      () => setNote({ ok: false, text: "the browser refused the clipboard" }),
    );
  }, []);

  useEffect(() => {
    // Escape closes from anywhere but keyboard mode, where it is the pane's key.
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape" && !keyboardRef.current) onClose();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);

  const find = (backwards = false) => setFound(termRef.current?.find(query, backwards) ?? false);
  const label = paneLabel(info);
  const tool = "shrink-0 rounded border border-edge px-2 py-1 text-xs hover:bg-edge";
  return (
    // Opaque on a phone: the page blurred behind a short terminal is only noise there.
    <div role="dialog" aria-modal="true" aria-label={`pane ${label}`} className="fixed inset-0 z-50 flex flex-col bg-ink sm:bg-ink/95 sm:backdrop-blur-sm">
      <header className="flex shrink-0 items-center gap-2 border-b border-edge px-3 py-2 text-sm max-sm:flex-nowrap sm:flex-wrap">
        <span className="min-w-0 truncate font-semibold">{label}</span>
        <span className="hidden truncate text-xs text-muted md:inline">
          {info.sessionName}:{info.windowIndex}.{info.index} · {info.id} · {info.command} · {info.width}×{info.height}
        </span>
        {offline && (
          <span data-testid="focused-offline" className="min-w-0 truncate rounded bg-red-900/40 px-1.5 py-0.5 text-xs text-red-300">
            node {info.node ?? ""} offline: last screen shown, answering disabled
          </span>
        )}
        <div className="ml-auto flex min-w-0 items-center gap-1.5">
          <input
            type="search"
            data-testid="terminal-search"
            value={query}
            onChange={(e) => {
              setQuery(e.target.value);
              setFound(null);
            }}
            onKeyDown={(e) => {
              if (e.key === "Enter") find(e.shiftKey);
            }}
            placeholder="search"
            aria-label="search the scrollback (Enter: next, Shift+Enter: previous)"
            className="w-20 min-w-0 rounded border border-edge bg-panel px-2 py-1 text-xs sm:w-40"
          />
          {/* On a phone the match buttons come with a query: the header stays one row. */}
          <button type="button" className={`${tool} ${query ? "" : "max-sm:hidden"}`} onClick={() => find(true)} aria-label="previous match">↑</button>
          <button type="button" className={`${tool} ${query ? "" : "max-sm:hidden"}`} onClick={() => find(false)} aria-label="next match" data-testid="search-next">↓</button>
          <button type="button" className={`${tool} hidden sm:inline-block`} onClick={() => copy(termRef.current?.selection() ?? "")} data-testid="copy-selection">
            copy
          </button>
          {!fits && (
            <button
              type="button"
              data-testid="terminal-fit"
              aria-pressed={size === "fit"}
              onClick={() => {
                const next = size === "fit" ? "readable" : "fit";
                saveTerminalSize(next);
                setSize(next);
              }}
              title={size === "fit" ? "readable font, scrolled sideways" : "fit every column to the width"}
              aria-label="fit the terminal to the width"
              className={`${tool} ${size === "fit" ? "border-accent bg-accent text-ink" : ""}`}
            >
              ↔
            </button>
          )}
          {canType && !offline && (
            <button
              type="button"
              data-testid="keyboard-mode"
              aria-pressed={keyboardOn}
              onClick={() => setKeyboard((k) => !k)}
              title={`every key goes to the pane; ${EXIT_CHORD.label} leaves`}
              className={`${tool} ${keyboardOn ? "border-accent bg-accent text-ink" : ""}`}
            >
              ⌨ <span className="hidden sm:inline">keyboard</span>
            </button>
          )}
          <button type="button" onClick={onClose} className={tool} aria-label="close" data-testid="focused-close">
            Esc ✕
          </button>
        </div>
      </header>
      {found === false && <p className="shrink-0 px-3 pt-1 text-xs text-warn" data-testid="search-none">no match for “{query}”</p>}
      <Timeline pane={info.id} width={info.width} />
      <TerminalView ref={termRef} info={info} keyboard={keyboardOn} onInput={onInput} onExit={leaveKeyboard} onCopy={copy} size={size} onFits={setFits} />
      {children}
      {keyboardOn && (
        <p data-testid="keyboard-hint" className="shrink-0 border-t border-accent/60 bg-panel px-3 py-2 text-xs">
          Keyboard mode: every key goes to <b>{label}</b>, Esc and Ctrl-C included. <kbd className="rounded border border-edge px-1">{EXIT_CHORD.label}</kbd> leaves it. Copy: Ctrl+Shift+C.
        </p>
      )}
      {note && (
        <p data-testid="terminal-note" data-ok={note.ok} className={`shrink-0 px-3 py-1 text-xs ${note.ok ? "text-emerald-300" : "text-red-300"}`}>
          {note.text}
        </p>
      )}
      {canType && !keyboardOn && <PaneInput pane={info.id} label={label} offline={offline} />}
    </div>
  );
}
