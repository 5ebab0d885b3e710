import { parsePrompt } from "../agents/choices.ts";
import { PanecastError } from "../errors.ts";
import type { SendRequest, SendResult } from "../panes/sender.ts";
import type { PaneAnswerRequest, PaneAnswerResult } from "../protocol.ts";
import type { NeedsYouQueue } from "./queue.ts";

/** Something that says "look again": the pane view's updates and the queue's changes. */
export interface Changes {
  on(event: "changed", cb: () => void): unknown;
  off(event: "changed", cb: () => void): unknown;
}

export interface AnswerDeps {
  /** What an answer reads and records of the queue. */
  queue: Pick<NeedsYouQueue, "item" | "prompt" | "noteAnswer">;
  /** The pane's screen read from tmux now (null: read the tracker's last frame instead). */
  capture: ((pane: string) => Promise<string[]>) | null;
  /** Types to the pane (lib/panes/sender). */
  send: (req: SendRequest) => Promise<SendResult>;
  /** Fires when a pane's screen or the queue changed. */
  changes: Changes;
  /** How long the prompt has to go away before the answer counts as not answered. */
  verifyTimeoutMs: number;
}

/**
 * A one-tap answer: the item (or the same question, open again) must still be open and the screen must still show the prompt it was
 * tapped on (same hash), else STALE_PROMPT and nothing is typed. The chosen answer's keys are read from
 * the screen now (a menu's cursor may have moved since) and sent; the answer is verified when the
 * prompt goes away or the pane leaves the state, and recorded on the item either way.
 */
export async function answerPrompt(deps: AnswerDeps, req: PaneAnswerRequest, by: string): Promise<PaneAnswerResult> {
  const item = deps.queue.item(req.pane);
  // The same question opened again (a redraw read between two frames can close and reopen it) is
  // still the one tapped on: the prompt's hash, checked against the screen below, decides.
  if (!item || (item.id !== req.itemId && item.promptHash !== req.promptHash)) throw new PanecastError("STALE_PROMPT", "that question is no longer open");
  // The screen as it is now, not the last frame the tracker pushed: a cursor moved a moment ago counts.
  const prompt = deps.capture ? parsePrompt(await deps.capture(req.pane)) : deps.queue.prompt(req.pane);
  if (!prompt || prompt.hash !== req.promptHash) throw new PanecastError("STALE_PROMPT", "the screen no longer shows that prompt");
  const choice = prompt.choices[req.choice];
  if (!choice) throw new PanecastError("BAD_REQUEST", `no choice ${req.choice} (the prompt has ${prompt.choices.length})`);
  await deps.send({ pane: req.pane, keys: choice.keys });
  const gone = () => deps.queue.item(req.pane)?.id !== item.id || deps.queue.prompt(req.pane)?.hash !== prompt.hash;
  const outcome = (await until(gone, deps.changes, deps.verifyTimeoutMs)) ? "answered" : "not-answered";
  deps.queue.noteAnswer(item.id, { outcome, label: choice.label, by, at: new Date().toISOString() });
  return { outcome, label: choice.label, keys: choice.keys };
}

/** Resolves true once `check` holds (looked at on every change), false after `timeoutMs`. */
function until(check: () => boolean, changes: Changes, timeoutMs: number): Promise<boolean> {
  if (check()) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      changes.off("changed", look);
      resolve(ok);
    };
    const look = () => {
      if (check()) done(true);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    changes.on("changed", look);
  });
}
