import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/** The project root (where package.json and next.config.js are). */
export const ROOT = path.resolve(new URL("../..", import.meta.url).pathname);

/** Where `next build` puts a build for this base path (next.config.js picks the same). */
export function distDir(basePath: string): string {
  return path.join(ROOT, basePath ? `.next${basePath.replace(/\//g, "-")}` : ".next");
}

const stampOf = (basePath: string) => path.join(distDir(basePath), "panecast-build.json");
const SOURCES = ["app", "components", "lib", "next.config.js", "postcss.config.mjs", "package-lock.json"];

interface Stamp {
  basePath: string;
  sourcesMtimeMs: number;
}

/** Whether the production build is missing, built for another base path, or older than a source. */
export function buildNeeded(basePath: string): boolean {
  const STAMP = stampOf(basePath);
  if (!existsSync(path.join(distDir(basePath), "BUILD_ID")) || !existsSync(STAMP)) return true;
  try {
    const stamp = JSON.parse(readFileSync(STAMP, "utf8")) as Stamp;
    return stamp.basePath !== basePath || newestMtime() > stamp.sourcesMtimeMs;
  } catch {
    return true;
  }
}

/** Runs `next build` for this base path (output to stderr) and records what it was built from. */
export async function build(basePath: string): Promise<void> {
  const mtime = newestMtime();
  const nextBin = createRequire(path.join(ROOT, "package.json")).resolve("next/dist/bin/next");
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(process.execPath, [nextBin, "build"], {
      cwd: ROOT,
      env: { ...process.env, PANECAST_BASE_PATH: basePath, NEXT_TELEMETRY_DISABLED: "1" },
      stdio: ["ignore", process.stderr, process.stderr],
    });
    child.on("error", reject);
    child.on("close", (c) => resolve(c ?? 1));
  });
  if (code !== 0) throw new Error(`next build failed with exit code ${code}`);
  writeFileSync(stampOf(basePath), JSON.stringify({ basePath, sourcesMtimeMs: mtime } satisfies Stamp));
}

export async function ensureBuild(basePath: string): Promise<void> {
  if (!buildNeeded(basePath)) return;
  console.error("panecast: building the web UI (first start, or sources changed)…");
  await build(basePath);
}

function newestMtime(): number {
  let newest = 0;
  const walk = (p: string): void => {
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
  for (const s of SOURCES) walk(path.join(ROOT, s));
  return newest;
}
