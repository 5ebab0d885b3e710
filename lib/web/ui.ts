import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { statePath } from "../config.ts";
import { PACKAGE_ROOT } from "../package-root.ts";

/**
 * The prebuilt web UI. Next.js fixes basePath at build time (vercel/next.js#41746), so the package
 * ships one build made for PLACEHOLDER, and each start serves a copy in the data directory with the
 * placeholder replaced by server.base_path. The install folder is never written (it may be read-only,
 * as under systemd's ProtectSystem=strict), and Next.js's own run-time writes land in the copy too.
 */
export const PLACEHOLDER = "/__panecast_base_path__";
export const SHIPPED = path.join(PACKAGE_ROOT, ".next");

export class UiMissing extends Error {
  constructor() {
    super(`the web UI is not built (no ${path.join(SHIPPED, "BUILD_ID")}): run 'npm run build' in the checkout`);
    this.name = "UiMissing";
  }
}

/** Build outputs a server does not need (the compiler cache alone is most of the size). */
const SKIP = new Set(["cache", "trace", "trace-build", "types", "diagnostics"]);
const TEXT = /\.(js|cjs|mjs|json|html|rsc|body|meta|css|txt|map|segments)$|^[^.]+$/;

export function shippedBuildId(): string {
  try {
    return readFileSync(path.join(SHIPPED, "BUILD_ID"), "utf8").trim();
  } catch {
    throw new UiMissing();
  }
}

/**
 * The folder Next.js should serve from for this base path: `<dataDir>/web/<key>`, made on first use
 * (or when the package was upgraded) and reused after. Older copies are removed.
 */
export function prepareUi(dataDir: string, basePath: string): string {
  const buildId = shippedBuildId();
  const key = createHash("sha256").update(`${buildId}\0${basePath}`).digest("hex").slice(0, 16);
  const webDir = statePath(dataDir, "web");
  const target = path.join(webDir, key);
  if (existsSync(path.join(target, ".next", "BUILD_ID"))) return target;

  mkdirSync(webDir, { recursive: true, mode: 0o700 });
  // Copies for other versions or base paths (not another process's copy in progress).
  for (const old of readdirSync(webDir)) if (!old.startsWith(".tmp-")) rmSync(path.join(webDir, old), { recursive: true, force: true });
  const tmp = path.join(webDir, `.tmp-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  copyReplacing(SHIPPED, path.join(tmp, ".next"), basePath);
  if (basePath === "") dropBaseRedirect(path.join(tmp, ".next", "routes-manifest.json"));
  cpSync(path.join(PACKAGE_ROOT, "next.config.js"), path.join(tmp, "next.config.js"));
  // Served as is from the site root (public/sw.js, the PWA icons): it finds its base path from its own scope.
  cpSync(path.join(PACKAGE_ROOT, "public"), path.join(tmp, "public"), { recursive: true });
  writeFileSync(path.join(tmp, "package.json"), JSON.stringify({ name: "panecast-ui", private: true, type: "module" }));
  // The server chunks require next and react: resolve them from the folder that holds panecast's next.
  symlinkSync(modulesDir(), path.join(tmp, "node_modules"), "dir");
  try {
    renameSync(tmp, target);
  } catch (err) {
    // Another panecast on the same data directory made the same copy first: use theirs.
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(path.join(target, ".next", "BUILD_ID"))) throw err;
  }
  return target;
}

function copyReplacing(from: string, to: string, basePath: string): void {
  mkdirSync(to, { recursive: true });
  for (const e of readdirSync(from, { withFileTypes: true })) {
    if (from === SHIPPED && SKIP.has(e.name)) continue;
    const src = path.join(from, e.name);
    const dst = path.join(to, e.name);
    if (e.isDirectory()) copyReplacing(src, dst, basePath);
    else if (TEXT.test(e.name)) writeFileSync(dst, readFileSync(src, "utf8").replaceAll(PLACEHOLDER, basePath));
    else cpSync(src, dst);
  }
}

/** Next.js adds a `<basePath>/` → `<basePath>` redirect only when there is a base path; with none it would loop. */
function dropBaseRedirect(file: string): void {
  const manifest = JSON.parse(readFileSync(file, "utf8")) as { redirects?: Array<{ source: string; internal?: boolean }> };
  manifest.redirects = (manifest.redirects ?? []).filter((r) => !(r.internal && r.source === "/"));
  writeFileSync(file, JSON.stringify(manifest));
}

/**
 * The modules Next.js traced as what its production server needs (`output: "standalone"`), which
 * scripts/build.mjs puts in web-modules/node_modules/: the package ships those, not all of next and
 * its compilers.
 */
export const WEB_MODULES = path.join(PACKAGE_ROOT, "web-modules", "node_modules");

/** The folder that holds the next (and react) the UI runs on: web-modules/ when built, else the checkout's. */
export function modulesDir(): string {
  if (existsSync(path.join(WEB_MODULES, "next", "package.json"))) return WEB_MODULES;
  const nextPkg = createRequire(path.join(PACKAGE_ROOT, "package.json")).resolve("next/package.json");
  return path.dirname(path.dirname(nextPkg));
}

/**
 * The Next.js settings the build resolved (`.next/required-server-files.json`, base path already in
 * place in the copy). A production server given them does not load next.config.js, which would need
 * the parts of next the package leaves out.
 */
export function builtNextConfig(uiDir: string): unknown {
  return (JSON.parse(readFileSync(path.join(uiDir, ".next", "required-server-files.json"), "utf8")) as { config: unknown }).config;
}
