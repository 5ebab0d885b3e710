import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { stateOfSignal } from "../../../lib/agents/hook-signal.ts";
import type { AgentState } from "../../../lib/protocol.ts";

const DIR = path.resolve("tests/fixtures/hooks");

/** What each recorded payload means (the table); null: says nothing of the state. */
const EXPECTED: Record<string, AgentState | null> = {
  "claude-SessionStart": null,
  "claude-UserPromptSubmit": "working",
  "claude-PreToolUse": "working",
  "claude-PostToolUse": "working",
  "claude-Notification-permission_prompt": "waiting-for-input",
  "claude-Notification-elicitation_dialog": "waiting-for-input",
  "claude-Notification-idle_prompt": null,
  "claude-PermissionRequest": "waiting-for-input",
  "claude-Stop": "idle",
  "claude-StopFailure": "error",
  "claude-SessionEnd": "exited",
  "codex-agent-turn-complete": "idle",
  "gemini-BeforeAgent": "working",
  "gemini-Notification-ToolPermission": "waiting-for-input",
  "gemini-AfterAgent": "idle",
};

describe("stateOfSignal over the recorded hook payloads", () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith(".json"));
  it("has a fixture for every mapped event and an expectation for every fixture", () => {
    expect(files.map((f) => f.replace(/\.json$/, "")).sort()).toEqual(Object.keys(EXPECTED).sort());
  });
  for (const f of files) {
    const name = f.replace(/\.json$/, "");
    it(name, () => {
      const j = JSON.parse(readFileSync(path.join(DIR, f), "utf8")) as Record<string, string>;
      const agent = name.split("-")[0] as "claude" | "codex" | "gemini";
      const event = j.hook_event_name ?? j.type!;
      expect(stateOfSignal({ agent, event, ...(j.notification_type ? { notificationType: j.notification_type } : {}) })).toBe(EXPECTED[name]);
    });
  }
});
