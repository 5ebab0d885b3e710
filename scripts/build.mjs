#!/usr/bin/env node
// Builds what the package ships: the server and CLI compiled to dist/ by tsc, and the web UI exported
// by Next.js as static files into web/ for a placeholder base path (lib/web/site.ts swaps in
// server.base_path at start).
//   node scripts/build.mjs                     both, always
//   node scripts/build.mjs --if-stale          only the parts older than their sources
//   node scripts/build.mjs --only server|ui    one part
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { parseArgs } from "node:util";

const ROOT = path.resolve(new URL("..", import.meta.url).pathname);
const PLACEHOLDER = "/__panecast_base_path__";
const { values } = parseArgs({ options: { "if-stale": { type: "boolean" }, only: { type: "string" } }, strict: true });
const require = createRequire(path.join(ROOT, "package.json"));

const PARTS = {
  server: {
    sources: ["server.ts", "cli", "lib", "tsconfig.json", "tsconfig.build.json", "package.json"],
    stamp: path.join(ROOT, "dist", ".stamp.json"),
    run() {
      rmSync(path.join(ROOT, "dist"), { recursive: true, force: true });
      exec([require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"], {});
      vendor();
    },
  },
  ui: {
    sources: ["app", "components", "lib", "next.config.js", "postcss.config.mjs", "package-lock.json"],
    stamp: path.join(ROOT, "web", "panecast-build.json"),
    run() {
      exec([require.resolve("next/dist/bin/next"), "build"], { PANECAST_BASE_PATH: PLACEHOLDER, NEXT_TELEMETRY_DISABLED: "1" });
      // The static export (output: "export") is what the package ships, as web/ (lib/web/site.ts reads
      // it); .next/ holds only the compiler's cache and intermediate files.
      const web = path.join(ROOT, "web");
      rmSync(web, { recursive: true, force: true });
      renameSync(path.join(ROOT, "out"), web);
      writeFileSync(path.join(web, "BUILD_ID"), readFileSync(path.join(ROOT, ".next", "BUILD_ID")));
    },
  },
};

// Pure-JavaScript dependencies whose installed folders are far larger than the part the server runs
// (several builds, sources, every language): bundled into dist/vendor/ at build time, so the package
// installs only that part (they are devDependencies). tsc's output imports them by name; those imports
// are pointed at the bundles. Under tsx (a checkout) the names resolve to node_modules as usual.
const VENDORED = {
  zod: 'export * from "zod";',
  "lru-cache": 'export * from "lru-cache";',
  "highlight.js/lib/common": 'export { default } from "highlight.js/lib/common";',
};

function vendor() {
  const esbuild = require("esbuild");
  const dist = path.join(ROOT, "dist");
  const files = {};
  for (const [name, contents] of Object.entries(VENDORED)) {
    const file = path.join(dist, "vendor", `${name.replace(/[/.]/g, "-")}.js`);
    esbuild.buildSync({ stdin: { contents, resolveDir: ROOT }, bundle: true, format: "esm", platform: "node", target: "node20", minify: true, keepNames: true, legalComments: "eof", outfile: file, logLevel: "warning" });
    files[name] = file;
  }
  const alternatives = Object.keys(VENDORED).map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).join("|");
  const spec = new RegExp(`(\\bfrom\\s*|\\bimport\\s*\\(\\s*|\\bimport\\s+)"(${alternatives})"`, "g");
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (p !== path.join(dist, "vendor")) walk(p);
      } else if (e.name.endsWith(".js")) {
        const text = readFileSync(p, "utf8");
        const out = text.replace(spec, (_, lead, name) => {
          const rel = path.relative(dir, files[name]);
          return `${lead}"${rel.startsWith(".") ? rel : `./${rel}`}"`;
        });
        if (out !== text) writeFileSync(p, out);
      }
    }
  };
  walk(dist);
}

function exec(args, env) {
  const r = spawnSync(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", process.stderr, process.stderr] });
  if (r.status !== 0) {
    console.error(`panecast build: ${path.basename(args[0])} failed (exit ${r.status})`);
    process.exit(1);
  }
}

function newestMtime(sources) {
  let newest = 0;
  const walk = (p) => {
    let st;
    try {
      st = statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      for (const e of readdirSync(p)) if (!e.startsWith(".") && e !== "node_modules") walk(path.join(p, e));
    } else if (st.mtimeMs > newest) newest = st.mtimeMs;
  };
  for (const s of sources) walk(path.join(ROOT, s));
  return newest;
}

function stale(part) {
  try {
    return JSON.parse(readFileSync(part.stamp, "utf8")).sourcesMtimeMs < newestMtime(part.sources);
  } catch {
    return true;
  }
}

const names = values.only ? [values.only] : ["server", "ui"];
for (const name of names) {
  const part = PARTS[name];
  if (!part) {
    console.error(`panecast build: --only ${name}: expected server or ui`);
    process.exit(2);
  }
  if (values["if-stale"] && existsSync(part.stamp) && !stale(part)) continue;
  console.error(`panecast build: building the ${name === "ui" ? "web UI" : "server and CLI"}…`);
  const mtime = newestMtime(part.sources);
  part.run();
  writeFileSync(part.stamp, JSON.stringify({ sourcesMtimeMs: mtime }));
}
