import { randomBytes } from "node:crypto";
import { SEND_KEYS, type SendKey } from "../protocol.ts";
import type { TmuxRuntime } from "../tmux/runtime.ts";
import { isPaneId } from "../tmux/target.ts";
import { InvalidTarget } from "../tmux/errors.ts";
import { PanecastError } from "../errors.ts";
import { normalizeText, textProblem, tmuxLiteral } from "./send-text.ts";


export interface SendRequest {
  pane: string;
  text?: string;
  keys?: SendKey[];
  enter?: boolean;
}

export interface SendResult {
  /** The text was seen on the pane's screen before Enter (true when no text was sent). */
  verified: boolean;
  /** Tries it took to see the text land (0 without text). */
  attempts: number;
  keysSent: number;
  enterSent: boolean;
  bytes: number;
}

export interface SenderOptions {
  retries?: number;
  /** How long to look for the text on screen after each try. */
  verifyTimeoutMs?: number;
}

/**
 * Types into a pane the way agent fleets learned to: clear the input line (C-u), send the text
 * literally (`send-keys -l`; multi-line text goes through a tmux buffer as a bracketed paste, so agent
 * CLIs keep the newlines as text), check with capture-pane that it landed, retry up to twice, and send
 * Enter as its own call only once it did. Text holds no control characters (send-text.ts); keys come
 * from an allow-list, are sent once, after the text, and never by a retry. Everything goes through the
 * runtime with argument arrays.
 */
export async function sendToPane(runtime: TmuxRuntime, req: SendRequest, opts: SenderOptions = {}): Promise<SendResult> {
  if (!isPaneId(req.pane)) throw new InvalidTarget("invalid pane target: expected %N");
  const retries = opts.retries ?? 2;
  const problem = textProblem(req.text ?? "");
  if (problem) throw new PanecastError("BAD_REQUEST", problem);
  for (const key of req.keys ?? []) {
    if (!(SEND_KEYS as readonly string[]).includes(key)) throw new InvalidTarget(`key not allowed: ${String(key).slice(0, 20)}`);
  }
  const text = normalizeText(req.text ?? "");
  const result: SendResult = { verified: text === "", attempts: 0, keysSent: 0, enterSent: false, bytes: Buffer.byteLength(text) };
  // Fails with PANE_NOT_FOUND before anything is typed.
  await runtime.read(["display-message", "-p", "-t", req.pane, "#{pane_id}"]);

  if (text !== "") {
    const needle = probe(text);
    for (let attempt = 1; attempt <= 1 + retries && !result.verified; attempt++) {
      result.attempts = attempt;
      await runtime.write(["send-keys", "-t", req.pane, "C-u"]);
      if (text.includes("\n")) await paste(runtime, req.pane, text);
      else await runtime.write(["send-keys", "-t", req.pane, "-l", "--", tmuxLiteral(text)]);
      result.verified = await landed(runtime, req.pane, needle, opts.verifyTimeoutMs ?? 1500);
    }
  }
  for (const key of req.keys ?? []) {
    await runtime.write(["send-keys", "-t", req.pane, key]);
    result.keysSent++;
  }
  if (req.enter && result.verified) {
    await runtime.write(["send-keys", "-t", req.pane, "Enter"]);
    result.enterSent = true;
  }
  return result;
}

/** Pastes text through a tmux buffer (bracketed when the application asked for it). */
export async function paste(runtime: TmuxRuntime, pane: string, text: string): Promise<void> {
  const buffer = `panecast-${randomBytes(6).toString("hex")}`;
  await runtime.write(["set-buffer", "-b", buffer, "--", tmuxLiteral(text)]);
  // -p: bracketed paste when the application asked for it; -d: delete the buffer afterwards.
  await runtime.write(["paste-buffer", "-d", "-p", "-b", buffer, "-t", pane]);
}

/** What to look for on screen: the end of the text's last line, whitespace folded. */
function probe(text: string): string {
  const last = text.split("\n").filter((l) => l.trim() !== "").pop() ?? text;
  return fold(last).slice(-40);
}

function fold(s: string): string {
  return s.replace(/\s+/g, " ").trim();
}

async function landed(runtime: TmuxRuntime, pane: string, needle: string, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  for (let delay = 10; ; delay = Math.min(delay * 2, 200)) {
    // -J joins wrapped lines, so a long input that wrapped still matches.
    const screen = await runtime.read(["capture-pane", "-p", "-J", "-t", pane]);
    if (fold(screen).includes(needle)) return true;
    if (performance.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, delay));
  }
}
