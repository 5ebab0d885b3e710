import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, inject, it } from "vitest";
import { CLIS, type CliName } from "../helpers/agents/clis.ts";
import { AgentRun, MODES } from "../helpers/agents/run.ts";
import { phasesOf, runScenarios } from "../helpers/agents/scenarios.ts";

/**
 * Where a run writes its screens and hook payloads, when asked to (PANECAST_AGENT_RECORD=DIR); a
 * second try writes beside the first (`…-try2`), so a failed try's recording is kept.
 */
function recordDir(cli: CliName, mode: string): string | null {
  const base = process.env.PANECAST_AGENT_RECORD;
  if (!base) return null;
  const first = path.resolve(base, `${cli}-${CLIS[cli].pkg.version}`);
  let dir = first;
  for (let n = 2; existsSync(path.join(dir, mode)); n++) dir = `${first}-try${n}`;
  return dir;
}

/**
 * The conformance test of one CLI: the core phases (phasesOf("core"): a streamed answer, a permission
 * approved from panecast, an auto-allowed tool, Esc, an API error with its reason, typing, exit)
 * chained in one session per mode, and every one of them must be right. `npm run bench:agents` runs
 * every phase and measures.
 */
export function conformance(name: CliName): void {
  const cli = CLIS[name];
  describe(`${name} ${cli.pkg.version}, the real CLI against a fake model API`, () => {
    for (const mode of cli.modes ?? MODES) {
      it(`${mode === "hooks" ? "with hooks" : "screen only"}: clients get the state the agent knows, in every phase`, async () => {
        // A CLI the registry could not give fails here, with npm's reason (never a skip).
        const failed = inject("agentCliFailures")[name];
        if (failed) throw new Error(failed);
        // A fresh scratch HOME, CLI and panecast per try, stopped whatever the outcome.
        const run = new AgentRun(cli, mode, recordDir(name, mode));
        let results;
        try {
          await run.start();
          results = await runScenarios(run, "core");
        } finally {
          await run.stop();
        }
        // The CLI really talked to the fake model: one streamed turn per prompted phase at least.
        expect(run.fake.log.filter((e) => e.turn === "text").length).toBeGreaterThanOrEqual(3);
        const verdicts = Object.fromEntries(results.map((r) => [r.phase, r.right ? "right" : `${r.got}${r.reason ? ` (${r.reason})` : ""} (states ${r.states.join(" → ") || "none"})`]));
        expect(verdicts).toEqual(Object.fromEntries(phasesOf("core").map((p) => [p.name, "right"])));
      });
    }
  });
}
