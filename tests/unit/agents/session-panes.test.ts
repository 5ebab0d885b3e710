import { describe, expect, it } from "vitest";
import { SessionPanes } from "../../../lib/agents/session-panes.ts";

describe("hooks are mapped to panes by session id", () => {
  it("a shared daemon's event goes to the pane its session was seen in, not the daemon's $TMUX_PANE", () => {
    const m = new SessionPanes();
    // Each Codex's own hooks (SessionStart) come from its pane.
    m.learn("thread-a", "%1", "codex");
    m.learn("thread-b", "%2", "codex");
    // notify runs from the daemon started in %1: thread-b's turn belongs to %2.
    expect(m.resolve("thread-b", "%1", false, "codex")).toBe("%2");
    expect(m.resolve("thread-a", "%1", false, "codex")).toBe("%1");
  });

  it("an unknown session from a daemon never lands on a pane another session of that agent runs in", () => {
    const m = new SessionPanes();
    m.learn("thread-a", "%1", "codex");
    m.learn("claude-1", "%7", "claude");
    expect(m.resolve("thread-new", "%1", false, "codex")).toBeNull();
    expect(m.resolve("thread-new", "%7", false, "codex")).toBe("%7");
  });

  it("an agent's own event is placed by its $TMUX_PANE; a session with no id too", () => {
    const m = new SessionPanes();
    m.learn("s1", "%1");
    expect(m.resolve("s1", "%4", true)).toBe("%4");
    expect(m.resolve(undefined, "%5", false)).toBe("%5");
  });

  it("is bounded, and a removed pane's sessions go with it", () => {
    const m = new SessionPanes(2);
    m.learn("a", "%1");
    m.learn("b", "%2");
    m.learn("c", "%3");
    expect(m.resolve("a", "%9", false)).toBe("%9");
    m.forgetPane("%2");
    expect(m.resolve("b", "%9", false)).toBe("%9");
    expect(m.resolve("c", "%9", false)).toBe("%3");
  });
});
