import { execFileSync } from "node:child_process";
import { CLIS, CLI_NAMES } from "../helpers/agents/clis.ts";
import { ensureCli } from "../helpers/agents/install.ts";

/**
 * Compiles the CLI (the hooks run bin/panecast.js) and installs the pinned agent CLIs (those named in
 * PANECAST_AGENT_CLIS when set) once per run, before any test file starts, so parallel files never race
 * to install. A CLI that cannot be installed fails the run here, with npm's reason.
 */
export default async function globalSetup(): Promise<void> {
  execFileSync(process.execPath, ["scripts/build.mjs", "--only", "server", "--if-stale"], { stdio: ["ignore", "inherit", "inherit"] });
  // PANECAST_AGENT_CLIS=claude,codex,gemini: only the CLIs whose files run (scripts/test.sh's "core").
  const only = process.env.PANECAST_AGENT_CLIS?.split(",").map((n) => n.trim());
  for (const name of CLI_NAMES) if (!only || only.includes(name)) await ensureCli(CLIS[name].pkg);
}
