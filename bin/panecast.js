#!/usr/bin/env node
// The `panecast` command. panecast is written in TypeScript and runs through tsx's loader, so there is
// no separate compile step for the server or the CLI (the web UI is built by Next.js).
// `panecast hook` is what agent CLIs run on every event: it skips the loader to start fast.
if (process.argv[2] === "hook") {
  const { hook } = await import("../cli/hook.mjs");
  await hook(process.argv.slice(3));
  process.exit(0);
}
const { register } = await import("tsx/esm/api");
register();
const { main } = await import("../cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
