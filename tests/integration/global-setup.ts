import { execFileSync } from "node:child_process";

/** Compile the server and CLI (when older than their sources): the CLI tests run bin/panecast.js. */
export default function globalSetup(): void {
  execFileSync(process.execPath, ["scripts/build.mjs", "--only", "server", "--if-stale"], { stdio: ["ignore", "inherit", "inherit"] });
}
