#!/usr/bin/env node
// The `panecast` command: the CLI compiled to dist/ (npm run build in a checkout; prebuilt in the package).
import { existsSync } from "node:fs";

const main = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(main)) {
  console.error("panecast: dist/ is missing: run 'npm run build' (or 'npm start', which builds) in the checkout");
  process.exit(1);
}
const { main: run } = await import(main.href);
process.exitCode = await run(process.argv.slice(2));
