// Boots panecast: `node dist/server.js [settings flags]` is `panecast start`. Everything it wires lives
// in lib/ and cli/; the CLI parses the flags and reports bad ones.
import { main } from "./cli/main.ts";

process.exitCode = await main(["start", ...process.argv.slice(2)]);
