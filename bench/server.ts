// A panecast server without Next.js, in its own process, for benchmarks: `node --import tsx bench/server.ts ARGS`.
import { createPanecast } from "../lib/app.ts";
import { loadConfig } from "../lib/config.ts";

const app = createPanecast(loadConfig({ argv: process.argv.slice(2) }));
const url = await app.listen();
console.log(`listening ${url}`);
const stop = () => void app.close().then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
