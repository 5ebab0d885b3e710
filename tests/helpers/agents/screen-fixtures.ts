import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compileRules, detectStatus } from "../../../lib/agents/status.ts";
import type { AgentState } from "../../../lib/protocol.ts";
import { PHASES } from "./scenarios.ts";

export interface ScreenFixture {
  /** `<mode>/<NN-phase>.screen` */
  file: string;
  phase: string;
  /** What the agent itself knew in that phase. */
  truth: AgentState;
  lines: string[];
}

/**
 * The screens the conformance harness recorded for one CLI version (tests/fixtures/agents/), each with
 * the state the agent knew in its phase. "exit" is left out: the shell's prompt is the screen then,
 * and `exited` comes from the pane's process, not from a screen rule.
 */
export function screenFixtures(dirName: string): ScreenFixture[] {
  const root = path.resolve("tests/fixtures/agents", dirName);
  if (!existsSync(root)) throw new Error(`no recorded screens in ${root}`);
  const out: ScreenFixture[] = [];
  for (const mode of readdirSync(root).filter((d) => !d.includes("."))) {
    for (const f of readdirSync(path.join(root, mode)).filter((n) => n.endsWith(".screen")).sort()) {
      const phase = f.replace(/^\d+-/, "").replace(/(\.end)?\.screen$/, "");
      const p = PHASES.find((x) => x.name === phase);
      if (!p) throw new Error(`${f}: unknown phase ${phase}`);
      if (phase === "exit") continue;
      out.push({ file: `${mode}/${f}`, phase, truth: p.want, lines: readFileSync(path.join(root, mode, f), "utf8").split("\n") });
    }
  }
  return out;
}

/**
 * One test per recorded screen of `dirName`: the screen rules of `agentType` read the state the agent
 * knew. `engineGaps` names the phases the engine of this version reads otherwise, with what it reads:
 * asserted as they are, so a fixed engine fails here until the entry goes.
 */
export function describeRules(agentType: "claude" | "codex" | "gemini", dirName: string, engineGaps: Record<string, AgentState> = {}): void {
  const rules = compileRules();
  describe(`${dirName}: the screen rules read each recorded screen as the agent knew it`, () => {
    const fixtures = screenFixtures(dirName);
    it("has a recorded screen for every phase in both modes", () => {
      const phases = new Set(fixtures.map((f) => f.phase));
      expect([...phases].sort()).toEqual(PHASES.map((p) => p.name).filter((p) => p !== "exit").sort());
      expect(new Set(fixtures.map((f) => f.file.split("/")[0]))).toEqual(new Set(["hooks", "screen"]));
    });
    it.each(fixtures.map((f) => [f.file, engineGaps[f.phase] ?? f.truth, f] as const))("%s → %s", (_file, expected, f) => {
      const d = detectStatus({ agentType, lines: f.lines, dead: false, atShell: false, recentlyActive: false }, rules);
      expect(d.state).toBe(expected);
      if (!(f.phase in engineGaps)) expect(d.decisive).toBe(true);
    });
  });
}
