import { describe, expect, it } from "vitest";
import { arbitrate, type HookState } from "../../../lib/agents/arbiter.ts";
import type { Detected } from "../../../lib/agents/status.ts";
import type { AgentState } from "../../../lib/protocol.ts";

const LIFE = 600_000;
const screen = (state: AgentState, decisive = true): Detected => ({ state, line: null, decisive });
const hook = (state: AgentState, screenSeen: AgentState | null, at = 0): HookState => ({ state, line: null, at, screenSeen });

/** Runs a hook against a sequence of screens; the decided states in order. */
function run(h: HookState, screens: Detected[], now = 1000): string[] {
  let current: HookState | undefined = h;
  return screens.map((s) => {
    const d = arbitrate(current, s, now, LIFE);
    if (d.dropHook) current = undefined;
    return `${d.state}/${d.source}`;
  });
}

describe("hook and screen never fight", () => {
  it("a quick approval: the permission hook gives way as soon as the screen shows the tool running", () => {
    // The hook came while the spinner still showed; the dialog drew; the person approved.
    expect(run(hook("waiting-for-input", "working"), [screen("working"), screen("waiting-for-input"), screen("working")])).toEqual([
      "waiting-for-input/hook",
      "waiting-for-input/hook",
      "working/screen",
    ]);
  });

  it("after Esc the idle prompt wins over the hook's working (Stop does not fire on an interrupt)", () => {
    expect(run(hook("working", "working"), [screen("working"), screen("idle")])).toEqual(["working/hook", "idle/screen"]);
  });

  it("a screen that still shows what it showed when the hook came does not override it", () => {
    expect(run(hook("idle", "working"), [screen("working"), screen("working"), screen("idle")])).toEqual(["idle/hook", "idle/hook", "idle/hook"]);
  });

  it("a screen that says nothing decisive never overrides", () => {
    expect(run(hook("working", "idle"), [screen("idle", false), screen("idle", false)])).toEqual(["working/hook", "working/hook"]);
  });

  it("a hook's error holds against the idle prompt drawn below it, and ends with a new turn", () => {
    expect(run(hook("error", "working"), [screen("idle"), screen("idle"), screen("working")])).toEqual(["error/hook", "error/hook", "working/screen"]);
  });

  it("text typed below an error ends the hook's error: the person moved on", () => {
    const typing: Detected = { state: "idle", line: null, decisive: true, typing: true };
    expect(run(hook("error", "working"), [screen("idle"), typing])).toEqual(["error/hook", "idle/screen"]);
  });

  it("a hook that names the state the screen already left (came late) gives way to the screen", () => {
    // The monitor marks a late hook by counting its own state as seen on screen.
    expect(run(hook("waiting-for-input", "waiting-for-input"), [screen("working")])).toEqual(["working/screen"]);
  });

  it("for an agent whose screen shows every state (Codex), a decisive screen wins, a silent one does not", () => {
    expect(arbitrate(hook("working", "working"), screen("idle"), 1, LIFE, true)).toMatchObject({ state: "idle", source: "screen" });
    expect(arbitrate(hook("working", "working"), screen("idle", false), 1, LIFE, true)).toMatchObject({ state: "working", source: "hook" });
  });

  it("a hook state lives at most its life without a newer event", () => {
    const d = arbitrate(hook("working", "idle", 0), screen("idle", false), LIFE, LIFE);
    expect(d).toMatchObject({ state: "idle", source: "screen", dropHook: true });
  });

  it("a dead pane ends any hook state", () => {
    expect(arbitrate(hook("waiting-for-input", null), screen("exited"), 1, LIFE)).toMatchObject({ state: "exited", source: "screen" });
  });
});
