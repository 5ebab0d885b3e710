import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CLIS, type CliName } from "../helpers/agents/clis.ts";
import { AgentRun, MODES, type Mode } from "../helpers/agents/run.ts";
import { PHASES, runScenarios } from "../helpers/agents/scenarios.ts";

/**
 * Phases in which panecast does not yet show what the agent knows, per CLI and mode, each with what
 * clients got instead in the recorded run. They are reported, not asserted (a real CLI on a shared
 * machine can land either way there); every other phase must be right.
 */
export type Gaps = Partial<Record<Mode, Record<string, string>>>;

/** Where a run writes its screens and hook payloads, when asked to (PANECAST_AGENT_RECORD=DIR). */
function recordDir(cli: CliName): string | null {
  const base = process.env.PANECAST_AGENT_RECORD;
  return base ? path.resolve(base, `${cli}-${CLIS[cli].pkg.version}`) : null;
}

/** The conformance test of one CLI: every scenario chained in one session per mode. */
export function conformance(name: CliName, gaps: Gaps): void {
  const cli = CLIS[name];
  describe(`${name} ${cli.pkg.version}, the real CLI against a fake model API`, () => {
    const runs: AgentRun[] = [];
    afterAll(async () => {
      for (const r of runs) await r.stop();
    });
    for (const mode of cli.modes ?? MODES) {
      it(`${mode === "hooks" ? "with hooks" : "screen only"}: clients get the state the agent knows, in every phase`, async () => {
        const run = new AgentRun(cli, mode, recordDir(name));
        runs.push(run);
        await run.start();
        const results = await runScenarios(run);
        // The CLI really talked to the fake model: one streamed turn per prompted phase at least.
        expect(run.fake.log.filter((e) => e.turn === "text").length).toBeGreaterThanOrEqual(4);
        const known = gaps[mode] ?? {};
        for (const phase of Object.keys(known)) expect(PHASES.map((p) => p.name), "a known gap names a phase").toContain(phase);
        const checked = results.filter((r) => !(r.phase in known));
        const verdicts = Object.fromEntries(checked.map((r) => [r.phase, r.right ? "right" : `${r.got} (states ${r.states.join(" → ") || "none"})`]));
        expect(verdicts).toEqual(Object.fromEntries(PHASES.filter((p) => !(p.name in known)).map((p) => [p.name, "right"])));
      });
    }
  });
}
