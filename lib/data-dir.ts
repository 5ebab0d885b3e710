import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmdirSync, statSync, unlinkSync } from "node:fs";
import path from "node:path";

/**
 * Makes the data directory (mode 0700: it holds tokens and keys) and, once, moves the state of
 * panecast versions that kept it in `./.panecast/` of the working directory into it. Returns the lines
 * to tell the person starting panecast (what moved, what was left and why).
 */
export function openDataDir(dataDir: string, cwd: string = process.cwd()): string[] {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  return migrateLegacy(path.join(cwd, ".panecast"), dataDir);
}

function migrateLegacy(legacy: string, dataDir: string): string[] {
  if (path.resolve(legacy) === path.resolve(dataDir) || !isDir(legacy)) return [];
  const moved: string[] = [];
  const kept: string[] = [];
  for (const name of readdirSync(legacy)) {
    const from = path.join(legacy, name);
    const to = path.join(dataDir, name);
    if (!statSync(from).isFile() || existsSync(to)) {
      kept.push(name);
      continue;
    }
    move(from, to);
    chmodSync(to, 0o600);
    moved.push(name);
  }
  const lines: string[] = [];
  if (moved.length > 0) lines.push(`panecast: moved ${moved.join(", ")} from ${legacy} to the data directory ${dataDir}`);
  if (kept.length > 0) lines.push(`panecast: left ${kept.join(", ")} in ${legacy}: already in ${dataDir} (or not a file); remove ${legacy} when done`);
  else rmdirSync(legacy);
  return lines;
}

function move(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EXDEV") throw err;
    copyFileSync(from, to);
    unlinkSync(from);
  }
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
