import { describe, expect, it } from "vitest";
import { ConfigSchema } from "../../lib/config-schema.ts";
import { isNonAgent, MuteMatcher, muteTargetOf, patternMatches, rulesOfSettings, type MuteTarget } from "../../lib/mute.ts";
import type { PaneInfo, Topology } from "../../lib/protocol.ts";

const target = (over: Partial<MuteTarget> = {}): MuteTarget => ({
  pane: "%1",
  session: "build-web",
  window: "compile",
  windowIndex: 2,
  agentId: null,
  agentType: "claude",
  state: "working",
  ...over,
});

describe("patternMatches", () => {
  it("without a colon, tries the session, the window name and the agent id, case-insensitively", () => {
    expect(patternMatches("build-*", target())).toBe(true);
    expect(patternMatches("BUILD-*", target())).toBe(true);
    expect(patternMatches("comp*", target())).toBe(true);
    expect(patternMatches("reviewer-?", target({ session: "work", agentId: "reviewer-2" }))).toBe(true);
    expect(patternMatches("build", target())).toBe(false);
    expect(patternMatches("web", target())).toBe(false);
  });

  it("with a colon, tries session:window-name and session:window-index", () => {
    expect(patternMatches("build-web:*", target())).toBe(true);
    expect(patternMatches("build-web:compile", target())).toBe(true);
    expect(patternMatches("build-web:2", target())).toBe(true);
    expect(patternMatches("*:compile", target())).toBe(true);
    expect(patternMatches("infra:*", target())).toBe(false);
    expect(patternMatches("build-web:3", target())).toBe(false);
  });

  it("takes regular-expression characters literally", () => {
    expect(patternMatches("a.b", target({ session: "a.b" }))).toBe(true);
    expect(patternMatches("a.b", target({ session: "axb", window: null }))).toBe(false);
    expect(patternMatches("(x)+", target({ session: "(x)+" }))).toBe(true);
  });
});

describe("isNonAgent", () => {
  it("is a running or quiet pane, else a shell or other program", () => {
    expect(isNonAgent({ agentType: "claude", state: "running" })).toBe(true);
    expect(isNonAgent({ agentType: "other", state: "quiet" })).toBe(true);
    expect(isNonAgent({ agentType: "shell", state: "exited" })).toBe(false);
    expect(isNonAgent({ agentType: "shell", state: undefined })).toBe(true);
    expect(isNonAgent({ agentType: "codex", state: undefined })).toBe(false);
    expect(isNonAgent({ agentType: "other", state: "offline" })).toBe(true);
  });
});

describe("MuteMatcher", () => {
  it("says which rule mutes a pane, and nothing for a pane no rule names", () => {
    const m = new MuteMatcher(
      [
        { kind: "pane", pane: "%9" },
        { kind: "type", type: "aider" },
        { kind: "pattern", pattern: "infra:*" },
      ],
      { nonAgents: false },
    );
    expect(m.reason(target({ pane: "%9" }))).toBe("pane");
    expect(m.reason(target({ agentType: "aider" }))).toBe("type");
    expect(m.reason(target({ session: "infra" }))).toBe("pattern");
    expect(m.reason(target())).toBeNull();
    expect(m.muted(target({ state: "running", agentType: "other" }))).toBe(false);
  });

  it("mutes non-agent panes by default, except the ones unmuted by id", () => {
    const m = new MuteMatcher([{ kind: "pattern", pattern: "build-*" }], { nonAgents: true, unmuted: ["%2", "%3"] });
    expect(m.reason(target({ session: "x", window: "y", pane: "%1", state: "quiet", agentType: "shell" }))).toBe("non-agent");
    expect(m.muted(target({ session: "x", window: "y", pane: "%2", state: "quiet", agentType: "shell" }))).toBe(false);
    // An unmuted pane is heard even when a pattern names it.
    expect(m.muted(target({ pane: "%3" }))).toBe(false);
    expect(m.muted(target({ pane: "%4" }))).toBe(true);
  });
});

describe("muteTargetOf", () => {
  const pane = (id: string, over: Partial<PaneInfo> = {}): PaneInfo => ({
    id, index: 0, sessionId: "$1", sessionName: "infra", windowId: "@1", windowIndex: 0, title: "", command: "bash", agentType: "shell", agentId: null,
    width: 80, height: 24, active: true, dead: false, pid: null, cwd: "/", options: {}, ...over,
  });
  const topology: Topology = {
    sessions: [{ id: "$1", name: "infra", attached: 0, windows: [{ id: "@1", index: 0, name: "deploy", active: true, panes: [pane("%1"), pane("%2", { agentType: "claude" })] }] }],
  };

  it("finds a pane with its window's name, and nothing for a pane not there", () => {
    expect(muteTargetOf(topology, "%2", "working")).toEqual({ pane: "%2", session: "infra", window: "deploy", windowIndex: 0, agentId: null, agentType: "claude", state: "working" });
    expect(muteTargetOf(topology, "%7")).toBeUndefined();
    const m = new MuteMatcher(rulesOfSettings({ patterns: ["infra:deploy"], types: [] }), { nonAgents: false });
    expect(m.muted(muteTargetOf(topology, "%2")!)).toBe(true);
  });
});

describe("notify.mute settings", () => {
  it("take globs and agent types, and refuse other types, control characters and long patterns", () => {
    expect(ConfigSchema.safeParse({ notify: { mute: { patterns: ["build-*", "infra:*"], types: ["other", "aider"] } } }).success).toBe(true);
    expect(ConfigSchema.safeParse({ notify: { mute: { types: ["robot"] } } }).success).toBe(false);
    expect(ConfigSchema.safeParse({ notify: { mute: { patterns: ["a\nb"] } } }).success).toBe(false);
    expect(ConfigSchema.safeParse({ notify: { mute: { patterns: ["x".repeat(101)] } } }).success).toBe(false);
    expect(ConfigSchema.parse({}).notify).toEqual({ mute: { patterns: [], types: [] } });
  });
});
