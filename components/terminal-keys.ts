import type { TerminalInput } from "../lib/protocol.ts";

/** The part of a KeyboardEvent the mapping reads (a plain object in tests). */
export interface KeyLike {
  key: string;
  code: string;
  ctrlKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  metaKey: boolean;
}

/** Keyboard mode ends with this chord (Esc goes to the pane there); shown in the view. */
export const EXIT_CHORD = { label: "Ctrl+]", matches: (e: KeyLike) => e.ctrlKey && !e.altKey && !e.metaKey && (e.key === "]" || e.code === "BracketRight") } as const;

const NAMED: Record<string, string> = {
  Enter: "Enter",
  Escape: "Escape",
  Tab: "Tab",
  Backspace: "BSpace",
  ArrowUp: "Up",
  ArrowDown: "Down",
  ArrowLeft: "Left",
  ArrowRight: "Right",
  Home: "Home",
  End: "End",
  PageUp: "PPage",
  PageDown: "NPage",
  Insert: "IC",
  Delete: "DC",
  ...Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`F${i + 1}`, `F${i + 1}`])),
};

/**
 * What a key press sends in keyboard mode: a tmux key name (`BTab`, `F5`, `C-r`, `M-x`, `S-Up`), typed
 * text, or null for what the browser keeps (Cmd/Super combinations, lone modifiers, keys tmux has no
 * name for). Shift-Tab is `BTab`; Ctrl-letters are lower case (`C-a`); Alt takes the key's letter by
 * its position when the layout composed another character (macOS Option).
 */
export function keyInput(e: KeyLike): TerminalInput | null {
  if (e.metaKey) return null;
  const named = NAMED[e.key];
  if (named) {
    if (named === "Tab" && e.shiftKey && !e.ctrlKey && !e.altKey) return { key: "BTab" };
    const mods = `${e.ctrlKey ? "C-" : ""}${e.altKey ? "M-" : ""}${e.shiftKey && !["Enter", "BSpace"].includes(named) ? "S-" : ""}`;
    return { key: mods + named };
  }
  if ([...e.key].length !== 1) return null;
  if (!e.ctrlKey && !e.altKey) return { text: e.key };
  let ch = e.key;
  if (e.key === " ") ch = "Space";
  else if (e.altKey && /^Key[A-Z]$/.test(e.code) && !/^[\x21-\x7e]$/.test(e.key)) ch = e.code.slice(3).toLowerCase();
  else if (e.altKey && /^Digit\d$/.test(e.code) && !/^[\x21-\x7e]$/.test(e.key)) ch = e.code.slice(5);
  if (ch !== "Space" && !/^[\x21-\x3a\x3c-\x7e]$/.test(ch)) return null;
  if (e.ctrlKey && /^[A-Z]$/.test(ch)) ch = ch.toLowerCase();
  return { key: `${e.ctrlKey ? "C-" : ""}${e.altKey ? "M-" : ""}${ch}` };
}

/** Most steps one `pane:keys` message carries (the server's limit). */
const MAX_STEPS = 64;

/**
 * Keyboard mode's outbox: steps queue up, typed characters merge into one text step, and one message
 * at a time goes to the server, in order, each with what queued meanwhile. Bounded: past `max`
 * waiting steps new ones are dropped and counted.
 */
export class KeyOutbox {
  private queue: TerminalInput[] = [];
  private sending = false;
  dropped = 0;

  constructor(
    private readonly send: (input: TerminalInput[]) => Promise<string | null>,
    private readonly onError: (message: string) => void,
    private readonly max = 1024,
  ) {}

  push(step: TerminalInput): void {
    if (this.queue.length >= this.max) {
      this.dropped++;
      return;
    }
    const last = this.queue[this.queue.length - 1];
    if (last && "text" in step && "text" in last && last.text.length + step.text.length <= 1024) last.text += step.text;
    else this.queue.push({ ...step });
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_STEPS);
        const error = await this.send(batch);
        if (error) this.onError(error);
      }
    } finally {
      this.sending = false;
    }
  }
}
