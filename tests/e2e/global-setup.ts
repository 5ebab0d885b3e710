import { execFileSync } from "node:child_process";

/** Build the server, CLI and web UI once (when older than their sources), before any test starts a server. */
export default async function globalSetup(): Promise<void> {
  execFileSync(process.execPath, ["scripts/build.mjs", "--if-stale"], { stdio: ["ignore", "inherit", "inherit"] });
}
