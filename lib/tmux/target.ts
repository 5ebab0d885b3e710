import { InvalidTarget } from "./errors.ts";

/**
 * Targets that come from outside (clients, CLI, config) are checked against these shapes before any
 * tmux command runs. Only ids and plain names pass, so nothing can smuggle a `;`, a `$(…)`, a path or
 * a tmux format into an argument.
 */
export const PANE_ID = /^%\d{1,7}$/;
export const WINDOW_ID = /^@\d{1,7}$/;
export const SESSION_ID = /^\$\d{1,7}$/;
const NAME = /^[A-Za-z0-9_][A-Za-z0-9_-]{0,63}$/;
const INDEX = /^\d{1,5}$/;

export type PaneTarget =
  | { kind: "pane-id"; id: string }
  | { kind: "spec"; session: string; window: string; pane: string };

export function isPaneId(s: string): boolean {
  return PANE_ID.test(s);
}

/** Parses `%12` or `session:window.pane` (window by index or name). Throws InvalidTarget otherwise. */
export function parsePaneTarget(input: unknown): PaneTarget {
  if (typeof input !== "string" || input.length === 0 || input.length > 140) {
    throw new InvalidTarget("invalid pane target: expected %N or session:window.pane");
  }
  if (PANE_ID.test(input)) return { kind: "pane-id", id: input };
  const m = /^([^:]+):([^.]+)\.([^.]+)$/.exec(input);
  if (m) {
    const [, session, window, pane] = m as unknown as [string, string, string, string];
    if ((NAME.test(session) || SESSION_ID.test(session)) && (INDEX.test(window) || NAME.test(window) || WINDOW_ID.test(window)) && INDEX.test(pane)) {
      return { kind: "spec", session, window, pane };
    }
  }
  throw new InvalidTarget("invalid pane target: expected %N or session:window.pane");
}

/** The `-t` argument for a validated target. Names are matched exactly (`=`), never as a prefix. */
export function paneTargetArg(t: PaneTarget): string {
  if (t.kind === "pane-id") return t.id;
  const session = SESSION_ID.test(t.session) ? t.session : `=${t.session}`;
  return `${session}:${t.window}.${t.pane}`;
}
