// npm run bench:dashboard — serving a 1 MB dashboard.md (GET /api/docs/:name, rendered HTML), from a
// server with the DocumentCache (read and render once per change) and one without (docs.cache_entries:
// 0, read and render on every request). Both servers run in their own process, side by side.
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { median, startBenchServer, stopBenchServer, table } from "./fleet.ts";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONCURRENCY = 8;
const dir = mkdtempSync(path.join(tmpdir(), "panecast-bench-docs-"));
const md = path.join(dir, "dashboard.md");

function bigDashboard(bytes: number): string {
  const parts = ["# Fleet dashboard\n"];
  let i = 0;
  while (parts.join("").length < bytes) {
    parts.push(
      `\n## Agent ${i}\n\n| task | state | files |\n| --- | --- | --- |\n| refactor module ${i} | **working** | \`lib/m${i}.ts\` |\n\n` +
        `- [x] read the code of [module ${i}](https://example.com/m/${i})\n- [ ] ~~rewrite~~ adjust the tests\n\n` +
        "```ts\nexport function step" + i + "(x: number): number {\n  return x * 2 + " + i + ";\n}\n```\n",
    );
    i++;
  }
  return parts.join("").slice(0, bytes);
}

async function startServer(cache: boolean): Promise<{ child: ChildProcess; url: string }> {
  const cfg = path.join(dir, cache ? "cached.yaml" : "uncached.yaml");
  writeFileSync(cfg, `docs:\n  cache_entries: ${cache ? 32 : 0}\ndashboards:\n  - name: main\n    path: ${md}\n`);
  return startBenchServer(cfg, `panecast-bench-docs-${process.pid}`, dir);
}

async function load(url: string): Promise<{ rps: number; p50: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const lat: number[] = [];
  let done = 0;
  const end = performance.now() + SECONDS * 1000;
  const get = () =>
    new Promise<void>((resolve, reject) => {
      const t0 = performance.now();
      http
        .get(`${url}/api/docs/main`, { agent }, (res) => {
          res.on("data", () => {});
          res.on("end", () => {
            if (res.statusCode !== 200) return reject(new Error(`status ${res.statusCode}`));
            lat.push(performance.now() - t0);
            done++;
            resolve();
          });
        })
        .on("error", reject);
    });
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) await get();
    }),
  );
  agent.destroy();
  return { rps: done / ((performance.now() - t0) / 1000), p50: median(lat) };
}

writeFileSync(md, bigDashboard(1024 * 1024));
const results: Array<{ name: string; rps: number; p50: number }> = [];
for (const cache of [true, false]) {
  const { child, url } = await startServer(cache);
  await load(url).catch(() => null); // warm up (first read and render)
  results.push({ name: cache ? "cached" : "uncached", ...(await load(url)) });
  await stopBenchServer(child);
}
const [c, u] = results as [(typeof results)[0], (typeof results)[0]];
console.log(`\nserving a 1 MB dashboard.md, ${CONCURRENCY} concurrent keep-alive clients, ${SECONDS} s each\n`);
console.log(table([["server", "requests/s", "p50 ms"], [c.name, c.rps, c.p50], [u.name, u.rps, u.p50]]));
console.log(`\ncached / uncached: ${(c.rps / u.rps).toFixed(1)}x the requests per second`);
