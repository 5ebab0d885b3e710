#!/usr/bin/env -S node --max-semi-space-size=4
// The `panecast` command: the CLI compiled to dist/ (npm run build in a checkout; prebuilt in the package).
// `panecast hook` is what agent CLIs run on every event: plain JavaScript (cli/hook.mjs, shipped as is),
// it skips loading the CLI to start fast.
if (process.argv[2] === "hook") {
  const { hook } = await import("../cli/hook.mjs");
  await hook(process.argv.slice(3));
  process.exit(0);
}
// `panecast watch | head` and the like: a reader that went away ends the command quietly, never with
// an EPIPE stack trace (every command writes through these two streams).
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (err) => {
    if (err.code === "EPIPE") process.exit(0);
    throw err;
  });
}
const { existsSync } = await import("node:fs");
const main = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(main)) {
  console.error("panecast: dist/ is missing: run 'npm run build' (or 'npm start', which builds) in the checkout");
  process.exit(1);
}
const { main: run } = await import(main.href);
process.exitCode = await run(process.argv.slice(2));
