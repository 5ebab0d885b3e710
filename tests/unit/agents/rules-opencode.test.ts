import { describe, expect, it } from "vitest";
import { compileRules, detectStatus, lastLines } from "../../../lib/agents/status.ts";
import type { AgentState } from "../../../lib/protocol.ts";
import { screenFixtures } from "../../helpers/agents/screen-fixtures.ts";

/**
 * OpenCode 1.18.33's recorded screens. On the loaded test machine it answers a phase many seconds
 * after the fake model did (its first screen alone took over a minute), so no run has recorded every
 * phase in step yet: the screens kept are read as they look, the state OpenCode itself draws
 * ("esc interrupt": working; "Permission required": waiting; the footer with the work tree: idle),
 * which is not always the phase's truth. `drawn` lists those screens with what they show.
 */
const drawn: Record<string, AgentState> = {
  "screen/03-stream-done.screen": "working",
  "screen/04-approve-slow-asked.screen": "working",
  "screen/06-approve-slow-done.screen": "working",
  "screen/08-approve-quick-approved.screen": "waiting-for-input",
  "screen/09-approve-quick-done.screen": "working",
  "screen/11-auto-tool-done.screen": "working",
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
