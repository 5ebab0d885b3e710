#!/usr/bin/env node
// The `panecast` command. panecast is written in TypeScript and runs through tsx's loader, so there is
// no separate compile step for the server or the CLI (the web UI is built by Next.js).
import { register } from "tsx/esm/api";

register();
const { main } = await import("../cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
