// A panecast server without Next.js, in its own process, for benchmarks: `node --import tsx bench/server.ts ARGS`.
// PANECAST_BENCH_ROOT names another checkout whose lib/ is the code under test (a before/after in one
// run); this harness stays the same for both.
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { createPanecast as CreatePanecast } from "../lib/app.ts";
import type { loadConfig as LoadConfig } from "../lib/config.ts";

const root = process.env.PANECAST_BENCH_ROOT ? path.resolve(process.env.PANECAST_BENCH_ROOT) : path.resolve(import.meta.dirname, "..");
const { createPanecast } = (await import(pathToFileURL(path.join(root, "lib/app.ts")).href)) as { createPanecast: typeof CreatePanecast };
const { loadConfig } = (await import(pathToFileURL(path.join(root, "lib/config.ts")).href)) as { loadConfig: typeof LoadConfig };

const app = createPanecast(loadConfig({ argv: process.argv.slice(2) }));
const url = await app.listen();
console.log(`listening ${url}`);
// PANECAST_BENCH_PROFILE_DIR: each SIGUSR2 starts a V8 CPU profile of this process, the next writes
// it there as <n>.cpuprofile, so a bench profiles just the window it measures.
const profileDir = process.env.PANECAST_BENCH_PROFILE_DIR;
if (profileDir) {
  const { Session } = await import("node:inspector/promises");
  const { writeFile } = await import("node:fs/promises");
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  let running = false;
  let n = 0;
  process.on("SIGUSR2", () => {
    void (async () => {
      if (!running) {
        running = true;
        await session.post("Profiler.start");
        return;
      }
      running = false;
      const { profile } = await session.post("Profiler.stop");
      await writeFile(path.join(profileDir, `${n++}.cpuprofile`), JSON.stringify(profile));
    })();
  });
}
const stop = () => void app.close().then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
