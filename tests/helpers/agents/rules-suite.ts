import { describe, expect, it } from "vitest";
import { compileRules, detectStatus } from "../../../lib/agents/status.ts";
import type { AgentState, AgentType } from "../../../lib/protocol.ts";
import { PHASES } from "./scenarios.ts";
import { screenFixtures } from "./screen-fixtures.ts";

/**
 * One test per recorded screen of `dirName`: the screen rules of `agentType` read the state the agent
 * knew. `misread` names the screens (`<mode>/<file>`) read otherwise today, with what is read: asserted
 * as they are, so a rule that starts reading one right fails here until its entry goes. `modes`: the
 * modes the CLI was recorded in (screen only for a CLI whose hooks panecast does not install).
 */
export function describeRules(agentType: AgentType, dirName: string, misread: Record<string, AgentState> = {}, modes: readonly string[] = ["hooks", "screen"]): void {
  const rules = compileRules();
  describe(`${dirName}: the screen rules read each recorded screen as the agent knew it`, () => {
    const fixtures = screenFixtures(dirName);
    it(`has a recorded screen for every phase in ${modes.length === 2 ? "both modes" : `${modes.join(", ")} mode`}, and lists no misread screen that is not there`, () => {
      for (const file of Object.keys(misread)) expect(fixtures.map((f) => f.file)).toContain(file);
      const phases = new Set(fixtures.map((f) => f.phase));
      expect([...phases].sort()).toEqual(PHASES.map((p) => p.name).filter((p) => p !== "exit").sort());
      expect(new Set(fixtures.map((f) => f.file.split("/")[0]))).toEqual(new Set(modes));
    });
    it.each(fixtures.map((f) => [f.file, misread[f.file] ?? f.truth, f] as const))("%s → %s", (_file, expected, f) => {
      const d = detectStatus({ agentType, lines: f.lines, dead: false, atShell: false, recentlyActive: false }, rules);
      expect(d.state).toBe(expected);
      if (!(f.file in misread)) expect(d.decisive).toBe(true);
    });
  });
}
