// A panecast node in a process of its own (no Next.js), for tests that kill it outright (SIGKILL):
// the configuration comes from the environment (PANECAST_NODE, PANECAST_REDIS_URL, …) and `-L NAME`.
// Prints "ready <url>" once it listens.
import { createPanecast } from "../../lib/app.ts";
import { loadConfig } from "../../lib/config.ts";

const app = createPanecast(loadConfig({ argv: ["--host", "127.0.0.1", "--port", "0", ...process.argv.slice(2)], env: process.env }));
console.log(`ready ${await app.listen()}`);
