import { execFileSync } from "node:child_process";
import type { TestProject } from "vitest/node";
import { CLIS, CLI_NAMES } from "../helpers/agents/clis.ts";
import { ensureCli } from "../helpers/agents/install.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** Why a CLI could not be installed (npm's words), by CLI name: its tests fail with it. */
    agentCliFailures: Record<string, string>;
  }
}

/**
 * Compiles the CLI (the hooks run bin/panecast.js) and installs the pinned agent CLIs (those named in
 * PANECAST_AGENT_CLIS when set) once per run, before any test file starts, so parallel files never race
 * to install. A CLI that cannot be installed fails each of its tests with npm's reason, by name.
 */
export default async function globalSetup(project: TestProject): Promise<void> {
  execFileSync(process.execPath, ["scripts/build.mjs", "--only", "server", "--if-stale"], { stdio: ["ignore", "inherit", "inherit"] });
  // PANECAST_AGENT_CLIS=claude,codex,gemini: only the CLIs whose files run (scripts/test.sh's "core").
  const only = process.env.PANECAST_AGENT_CLIS?.split(",").map((n) => n.trim());
  const failures: Record<string, string> = {};
  for (const name of CLI_NAMES) {
    if (only && !only.includes(name)) continue;
    try {
      await ensureCli(CLIS[name].pkg);
    } catch (err) {
      failures[name] = (err as Error).message;
    }
  }
  project.provide("agentCliFailures", failures);
}
