import { execFile } from "node:child_process";
import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** An agent CLI as published on npm, pinned, and how to start it once installed. */
export interface CliPackage {
  name: string;
  version: string;
  /** `npm install` arguments (the package and any platform package it needs). */
  packages: string[];
  /** The program and its first arguments, from the install directory. */
  command(dir: string): string[];
}

export function cacheDir(): string {
  return path.join(process.env.XDG_CACHE_HOME || path.join(homedir(), ".cache"), "panecast", "agent-clis");
}

/**
 * Installs a CLI into `<cache>/panecast/agent-clis/<name>-<version>` once, outside the repo. Install
 * scripts are not run (npm 11 may skip them anyway): every CLI here is started from its own files,
 * the native ones from their platform package. A lock directory keeps parallel installers apart; a
 * failed install leaves nothing behind and throws with npm's own words.
 */
export async function ensureCli(pkg: CliPackage): Promise<string[]> {
  const root = cacheDir();
  const dir = path.join(root, `${pkg.name}-${pkg.version}`);
  mkdirSync(root, { recursive: true });
  const ready = () => existsSync(path.join(dir, ".installed")) && existsSync(pkg.command(dir)[pkg.command(dir)[0] === process.execPath ? 1 : 0]!);
  if (ready()) return pkg.command(dir);
  const lock = `${dir}.lock`;
  await acquire(lock);
  try {
    if (ready()) return pkg.command(dir);
    const tmp = `${dir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    writeFileSync(path.join(tmp, "package.json"), '{ "private": true }\n');
    try {
      await run("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--no-save", "--loglevel=error", ...pkg.packages], { cwd: tmp, timeout: 600_000, maxBuffer: 16 * 1024 * 1024 });
    } catch (err) {
      rmSync(tmp, { recursive: true, force: true });
      const e = err as { stderr?: string; message: string };
      throw new Error(`cannot install ${pkg.packages.join(" ")} from the npm registry: ${(e.stderr || e.message).trim().slice(-1500)}`);
    }
    writeFileSync(path.join(tmp, ".installed"), `${new Date().toISOString()}\n`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
    if (!ready()) throw new Error(`${pkg.name} ${pkg.version} installed, but ${pkg.command(dir).join(" ")} is missing`);
    return pkg.command(dir);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** mkdir is atomic: whoever creates the lock directory installs; a lock older than 15 min is stale. */
async function acquire(lock: string): Promise<void> {
  for (;;) {
    try {
      mkdirSync(lock);
      return;
    } catch {
      try {
        if (Date.now() - statSync(lock).mtimeMs > 15 * 60_000) rmSync(lock, { recursive: true, force: true });
      } catch {}
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
