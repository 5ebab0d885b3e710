import { describe, expect, it } from "vitest";
import { compileRules, detectStatus, lastLines } from "../../../lib/agents/status.ts";
import type { AgentState } from "../../../lib/protocol.ts";
import { screenFixtures } from "../../helpers/agents/screen-fixtures.ts";

/**
 * OpenCode 1.18.33's recorded screens (every phase, at a load average of 3–10). A screen kept at the
 * true moment (the fake server's log, the key pressed) is often drawn a moment before OpenCode
 * redraws, so it still shows the last state; the screens are read as they look, the state OpenCode
 * itself draws ("esc interrupt": working; "Permission required": waiting; the footer with the work
 * tree: idle), which is not always the phase's truth. Its errors are drawn with a red border and no
 * marker in their text (the turn's last line, "▣  Build · GPT fake", only lacks the duration an
 * answer ends with), so the error screens read as the turn around them: working, or idle after it.
 * `drawn` lists the screens whose look is not the phase's truth, with what they show.
 */
const drawn: Record<string, AgentState> = {
  "screen/04-approve-slow-asked.screen": "working",
  "screen/05-approve-slow-approved.screen": "waiting-for-input",
  "screen/07-approve-quick-asked.screen": "working",
  "screen/08-approve-quick-approved.screen": "waiting-for-input",
  "screen/09-approve-quick-done.screen": "working",
  "screen/14-error-400.screen": "working",
  "screen/14-error-400.end.screen": "idle",
  "screen/15-error-401.screen": "working",
  "screen/15-error-401.end.screen": "idle",
  "screen/16-error-429.screen": "idle",
  "screen/17-error-overloaded.screen": "working",
};

describe("opencode-1.18.33: the screen rules read each recorded screen as OpenCode drew it", () => {
  const rules = compileRules();
  // A blank capture (OpenCode clearing the screen to redraw it) says nothing.
  const fixtures = screenFixtures("opencode-1.18.33").filter((f) => lastLines(f.lines, 1).length > 0);
  it("has recorded screens of working, waiting and idle, and lists no screen that is not there", () => {
    for (const file of Object.keys(drawn)) expect(fixtures.map((f) => f.file)).toContain(file);
    expect(new Set(fixtures.map((f) => drawn[f.file] ?? f.truth))).toEqual(new Set(["idle", "working", "waiting-for-input"]));
  });
  it.each(fixtures.map((f) => [f.file, drawn[f.file] ?? f.truth, f] as const))("%s → %s", (_file, expected, f) => {
    const d = detectStatus({ agentType: "opencode", lines: f.lines, dead: false, atShell: false, recentlyActive: false }, rules);
    expect(d.state).toBe(expected);
    expect(d.decisive).toBe(true);
  });
});
