import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
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

