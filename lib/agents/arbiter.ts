import type { AgentState, AgentStateSource, ErrorReason } from "../protocol.ts";
import type { Detected } from "./status.ts";

/** What the agent's last hook event said, and what the screen said when it came. */
export interface HookState {
  state: AgentState;
  line: string | null;
  reason?: ErrorReason | undefined;
  resetAt?: string | undefined;
  at: number;
  /** The screen's last decisive state since the hook came (null: none yet). */
  screenSeen: AgentState | null;
}

export interface Decision {
  state: AgentState;
  line: string | null;
  source: AgentStateSource;
  reason?: ErrorReason | undefined;
  resetAt?: string | undefined;
  /** The hook no longer counts: drop it. */
  dropHook: boolean;
}

/** Screen states that show the person started something new after an error (a new turn). */
const NEW_TURN: ReadonlySet<AgentState> = new Set(["working", "waiting-for-input", "exited"]);

/**
 * Hook or screen, so they never fight. A hook state holds against a screen that says nothing
 * decisive, and against a screen that still shows what it showed when the hook came (the frame
 * before the agent redrew); it gives way to a screen that moved, since the hook, to a decisive state
 * of its own (an approval's tool now runs, Esc brought the prompt back: Stop does not fire on an
 * interrupt). A hook's error gives way only to a new turn on screen, never to the idle prompt the
 * agent draws below it, except to text typed into the input box. A hook state lives at most `lifeMs`
 * without a newer event. `screenFirst`: the agent's screen shows every state and its hooks come after
 * the fact, so a decisive screen always wins (Codex: see SCREEN_FIRST in the monitor).
 */
export function arbitrate(hook: HookState | undefined, screen: Detected, now: number, lifeMs: number, screenFirst = false): Decision {
  const fromScreen: Decision = { state: screen.state, line: screen.line, source: "screen", reason: screen.reason, resetAt: screen.resetAt, dropHook: hook !== undefined };
  if (!hook) return { ...fromScreen, dropHook: false };
  if (now - hook.at >= lifeMs) return fromScreen;
  if (screen.decisive && (screen.state === "exited" || screenFirst)) return fromScreen;
  // Text typed into the input box: the person moved on from the error, whatever the hook said.
  if (screen.typing && hook.state === "error") return fromScreen;
  const moved = screen.decisive && screen.state !== hook.state && screen.state !== hook.screenSeen;
  const overrides = hook.state === "error" ? moved && NEW_TURN.has(screen.state) : moved;
  if (screen.decisive) hook.screenSeen = screen.state;
  if (overrides) return fromScreen;
  const agrees = screen.state === hook.state;
  return {
    state: hook.state,
    line: hook.line ?? (agrees ? screen.line : null),
    source: "hook",
    reason: hook.reason ?? (agrees ? screen.reason : undefined),
    resetAt: hook.resetAt ?? (agrees ? screen.resetAt : undefined),
    dropHook: false,
  };
}
