import { chmodSync, closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, rmdirSync, statSync, unlinkSync, writeFileSync, type Stats } from "node:fs";
import path from "node:path";
import { STATE_FILES } from "./config.ts";

/** A data directory panecast will not use (another user's). */
export class DataDirError extends Error {}

/**
 * Makes the data directory (mode 0700: it holds tokens and keys). An existing one that others may
 * read or enter is set to 0700, and one owned by another user is refused. Never moves anything in:
 * state of older versions in `./.panecast/` is only pointed out (`panecast migrate` moves it).
 * Returns the lines to tell the person starting panecast.
 */
export function openDataDir(dataDir: string, cwd: string = process.cwd()): string[] {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const lines: string[] = [];
  const st = statSync(dataDir);
  if (typeof process.getuid === "function" && st.uid !== process.getuid()) {
    throw new DataDirError(`the data directory ${dataDir} belongs to another user (uid ${st.uid}); choose another with --data-dir`);
  }
  if ((st.mode & 0o077) !== 0) {
    chmodSync(dataDir, 0o700);
    lines.push(`panecast: the data directory ${dataDir} was mode ${(st.mode & 0o777).toString(8).padStart(4, "0")}; set it to 0700 (it holds tokens and keys)`);
  }
  const legacy = path.join(cwd, ".panecast");
  if (path.resolve(legacy) !== path.resolve(dataDir) && isRealDir(legacy)) {
    lines.push(`panecast: ${legacy} holds state of an older panecast; it is not used (run 'panecast migrate' here to move your own files into ${dataDir})`);
  }
  return lines;
}

/** What `migrate` did with each entry of the legacy directory. */
export interface Migration {
  moved: string[];
  /** Entries left where they are, each with the reason. */
  refused: Array<{ name: string; why: string }>;
}

/**
 * Moves the state of panecast versions that kept it in `./.panecast/` into the data directory: only
 * the known state files, only regular files (never a symlink: each is opened with O_NOFOLLOW and
 * checked on the open descriptor), only the user's own and not writable by others, and never over a
 * file the data directory already has. Each is copied into a new 0600 file, then removed. The data
 * directory must exist (openDataDir).
 */
export function migrateLegacy(legacy: string, dataDir: string): Migration {
  const out: Migration = { moved: [], refused: [] };
  if (path.resolve(legacy) === path.resolve(dataDir)) return out;
  const dir = lstatOrNull(legacy);
  if (!dir) return out;
  const uid = typeof process.getuid === "function" ? process.getuid() : null;
  if (!dir.isDirectory()) return { moved: [], refused: [{ name: ".", why: "not a directory (a symlink is never followed)" }] };
  if ((uid !== null && dir.uid !== uid) || (dir.mode & 0o022) !== 0) {
    return { moved: [], refused: [{ name: ".", why: "not your own directory, or writable by others" }] };
  }
  const known: ReadonlySet<string> = new Set(STATE_FILES.filter((n) => n !== "web"));
  for (const name of readdirSync(legacy).sort()) {
    const why = moveOne(path.join(legacy, name), path.join(dataDir, name), known.has(name), uid);
    if (why) out.refused.push({ name, why });
    else out.moved.push(name);
  }
  if (out.refused.length === 0) rmdirSync(legacy);
  return out;
}

/** Moves one file, or says why not. */
function moveOne(from: string, to: string, known: boolean, uid: number | null): string | null {
  if (!known) return "not a panecast state file";
  let fd: number;
  try {
    fd = openSync(from, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ELOOP" ? "a symlink" : "unreadable";
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return "not a regular file";
    if (uid !== null && st.uid !== uid) return `owned by another user (uid ${st.uid})`;
    if ((st.mode & 0o022) !== 0) return "writable by others";
    if (lstatOrNull(to)) return "the data directory already has one";
    writeFileSync(to, readFileSync(fd), { flag: "wx", mode: 0o600 });
  } finally {
    closeSync(fd);
  }
  unlinkSync(from);
  return null;
}

function lstatOrNull(p: string): Stats | null {
  try {
    return lstatSync(p);
  } catch {
    return null;
  }
}

function isRealDir(p: string): boolean {
  return lstatOrNull(p)?.isDirectory() ?? false;
}
