"use client";

import { useState } from "react";
import { plural } from "@/lib/plural";
import type { PaneSendRequest, SendKey } from "@/lib/protocol";
import { useFleet } from "./fleet";

/** Big enough to hit with a thumb on a touch screen. */
const KEY_CLASS = "rounded border border-edge px-2 py-0.5 font-mono text-xs hover:bg-edge disabled:opacity-60 pointer-coarse:min-h-9 pointer-coarse:min-w-9 pointer-coarse:px-2.5";

const KEYS: Array<{ key: SendKey; label: string }> = [
  { key: "Escape", label: "Esc" },
  { key: "C-c", label: "Ctrl-C" },
  { key: "C-d", label: "Ctrl-D" },
  { key: "Tab", label: "Tab" },
  { key: "Up", label: "↑" },
  { key: "Down", label: "↓" },
  { key: "Left", label: "←" },
  { key: "Right", label: "→" },
  { key: "BSpace", label: "⌫" },
  { key: "Enter", label: "Enter" },
  { key: "y", label: "y" },
  { key: "n", label: "n" },
  { key: "1", label: "1" },
  { key: "2", label: "2" },
  { key: "3", label: "3" },
];

/** Keys beyond pane:send's list, sent as keyboard mode sends them (pane:keys): no confirmation needed. */
const MORE_KEYS: Array<{ key: string; label: string }> = [
  { key: "BTab", label: "⇧Tab" },
  { key: "PPage", label: "PgUp" },
  { key: "NPage", label: "PgDn" },
  { key: "Home", label: "Home" },
  { key: "End", label: "End" },
];

/** Sends that interrupt or act without text ask first. */
const CONFIRM: ReadonlySet<SendKey> = new Set(["C-c", "Escape", "Enter", "C-d"]);

/**
 * Typing to an agent (operator role): a text box (Ctrl+Enter sends it and presses Enter once the text
 * is seen on the pane) and a panel of allowed keys. The server checks the role again; viewers never
 * see this. Esc closes the focused view from here too (FocusedPane).
 */
export function PaneInput({ pane, label, offline = false }: { pane: string; label: string; offline?: boolean }) {
  const conn = useFleet();
  const [text, setText] = useState("");
  const [enter, setEnter] = useState(true);
  const [pending, setPending] = useState<PaneSendRequest | null>(null);
  const [result, setResult] = useState<{ ok: boolean; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  // The server refuses too (NODE_UNAVAILABLE); disabled here so nobody types into the void.
  const locked = busy || offline;

  async function send(req: PaneSendRequest): Promise<void> {
    setBusy(true);
    setPending(null);
    const r = await conn.send(req);
    setBusy(false);
    if ("error" in r) {
      setResult({ ok: false, message: `${r.error.code}: ${r.error.message}` });
      return;
    }
    const d = r.data;
    if (req.text && !d.verified) setResult({ ok: false, message: `the text did not show up on the pane after ${d.attempts} tries; Enter was not pressed` });
    else {
      const what = [req.text ? plural(d.bytes, "byte") : "", d.keysSent ? plural(d.keysSent, "key") : "", d.enterSent ? "Enter" : ""].filter(Boolean).join(" + ");
      setResult({ ok: true, message: `sent ${what}${req.text ? " (seen on the pane)" : ""}` });
      if (req.text) setText("");
    }
  }

  function submit(): void {
    if (text === "") {
      if (enter) setPending({ pane, enter: true });
      return;
    }
    // Several lines may each run as they arrive (no bracketed paste unless the program asked for it):
    // the user confirms, and the request says so (multiline).
    if (/[\r\n]/.test(text)) setPending({ pane, text, enter, multiline: true });
    else void send({ pane, text, enter });
  }

  async function more(k: string): Promise<void> {
    setBusy(true);
    const r = await conn.keys({ pane, input: [{ key: k }] });
    setBusy(false);
    setResult("error" in r ? { ok: false, message: `${r.error.code}: ${r.error.message}` } : { ok: true, message: `sent ${k}` });
  }

  function key(k: SendKey): void {
    const req: PaneSendRequest = { pane, keys: [k] };
    if (CONFIRM.has(k)) setPending(req);
    else void send(req);
  }

  return (
    <div className="shrink-0 border-t border-edge bg-panel px-3 py-2 sm:px-4 sm:py-3" data-testid="pane-input-box">
      <div className="flex flex-col gap-2 sm:flex-row">
        <textarea
          data-testid="pane-input"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              submit();
            }
          }}
          rows={2}
          maxLength={16384}
          disabled={offline}
          placeholder={offline ? `${label} is on a node that is offline` : `Type to ${label}… (Ctrl+Enter sends)`}
          aria-label={`text to send to ${label}`}
          className="min-h-[2.5rem] flex-1 resize-y rounded border border-edge bg-ink px-2 py-1 font-mono text-[13px] outline-none focus:border-accent"
        />
        <div className="flex items-center gap-2">
          <label className="flex items-center gap-1 text-xs text-muted">
            <input type="checkbox" checked={enter} onChange={(e) => setEnter(e.target.checked)} data-testid="pane-send-enter" /> Enter
          </label>
          <button type="button" onClick={submit} disabled={locked} data-testid="pane-send" className="rounded bg-accent px-3 py-1.5 text-sm font-semibold text-ink disabled:opacity-60">
            {busy ? "Sending…" : "Send"}
          </button>
        </div>
      </div>
      <div className="mt-2 flex flex-wrap gap-1" role="group" aria-label="keys">
        {KEYS.map(({ key: k, label: l }) => (
          <button key={k} type="button" disabled={locked} onClick={() => key(k)} data-testid={`key-${k}`} className={KEY_CLASS}>
            {l}
          </button>
        ))}
        {MORE_KEYS.map(({ key: k, label: l }) => (
          <button key={k} type="button" disabled={locked} onClick={() => void more(k)} data-testid={`key-${k}`} className={KEY_CLASS}>
            {l}
          </button>
        ))}
      </div>
      {pending && (
        <div role="alertdialog" aria-label="confirm" className="mt-2 flex items-center gap-2 rounded border border-amber-700/60 bg-warn-soft px-3 py-2 text-sm text-warn">
          <span>
            {pending.multiline ? (
              <>
                Send {plural(pending.text?.split(/\r\n|\r|\n/).length ?? 0, "line")} to <b>{label}</b>? Each may run as it arrives.
              </>
            ) : (
              <>
                Send {pending.keys?.join(" ") ?? "Enter"} to <b>{label}</b>?
              </>
            )}
          </span>
          <button type="button" data-testid="confirm-send" onClick={() => void send(pending)} className="rounded bg-amber-500 px-2 py-0.5 text-xs font-semibold text-ink">
            Send
          </button>
          <button type="button" data-testid="cancel-send" onClick={() => setPending(null)} className="rounded border border-edge px-2 py-0.5 text-xs">
            Cancel
          </button>
        </div>
      )}
      {result && (
        <p data-testid="send-result" data-ok={result.ok} className={`mt-2 text-xs ${result.ok ? "text-emerald-300" : "text-red-300"}`}>
          {result.message}
        </p>
      )}
    </div>
  );
}
