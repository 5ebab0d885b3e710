import { lstatSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

/** Where a work tree keeps its git state. */
export interface RepoDirs {
  /** The work tree's top directory (what `git rev-parse --show-toplevel` prints). */
  root: string;
  /** Its own git dir: HEAD and index live here (`.git`, or `.git/worktrees/<name>` for a linked work tree). */
  gitDir: string;
  /** The git dir shared by all work trees of the repository: refs and packed-refs live here. */
  commonDir: string;
}

const MAX_DEPTH = 128;

/**
 * Finds the work tree a directory sits in by walking up to the nearest `.git`, without running git.
 * `.git` is a directory, or a file `gitdir: <path>` (linked work trees, submodules); a linked work
 * tree's git dir names the shared one in its `commondir` file. Null when there is none.
 */
export function findRepo(cwd: string): RepoDirs | null {
  let dir = path.resolve(cwd);
  for (let i = 0; i < MAX_DEPTH; i++) {
    const dotGit = path.join(dir, ".git");
    const gitDir = gitDirOf(dotGit);
    if (gitDir) return { root: dir, gitDir, commonDir: commonDirOf(gitDir) };
    const up = path.dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
  return null;
}

function gitDirOf(dotGit: string): string | null {
  try {
    const st = lstatSync(dotGit);
    const dir = st.isDirectory() ? dotGit : st.isFile() ? pointedTo(dotGit) : null;
    return dir && isGitDir(dir) ? dir : null;
  } catch {
    return null;
  }
}

/** A `.git` file's `gitdir:` line, relative to the file's directory when not absolute. */
function pointedTo(file: string): string | null {
  const m = /^gitdir:\s*(.+?)\s*$/m.exec(readFileSync(file, "utf8").slice(0, 4096));
  return m ? path.resolve(path.dirname(file), m[1]!) : null;
}

function isGitDir(dir: string): boolean {
  try {
    return statSync(path.join(dir, "HEAD")).isFile();
  } catch {
    return false;
  }
}

function commonDirOf(gitDir: string): string {
  try {
    const rel = readFileSync(path.join(gitDir, "commondir"), "utf8").slice(0, 4096).trim();
    return rel ? path.resolve(gitDir, rel) : gitDir;
  } catch {
    return gitDir;
  }
}

/**
 * A cheap fingerprint of the files whose change means the git state may have changed (HEAD, index,
 * packed-refs, the checked-out branch's ref): stat calls only, no git process. The safety poll
 * compares it, for changes a file watch missed.
 */
export function repoFingerprint(r: RepoDirs): string {
  const files = [path.join(r.gitDir, "HEAD"), path.join(r.gitDir, "index"), path.join(r.commonDir, "packed-refs")];
  try {
    const head = readFileSync(path.join(r.gitDir, "HEAD"), "utf8").slice(0, 1024);
    const ref = /^ref:\s*(refs\/\S+)/.exec(head)?.[1];
    if (ref && !ref.split("/").includes("..")) files.push(path.join(r.commonDir, ref));
  } catch {
    // HEAD went away: the stat below says so.
  }
  return files
    .map((f) => {
      try {
        const st = statSync(f);
        return `${st.ino}:${st.size}:${st.mtimeMs}`;
      } catch {
        return "-";
      }
    })
    .join("|");
}
