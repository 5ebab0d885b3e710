import { readdirSync, watch, type FSWatcher } from "node:fs";
import path from "node:path";
import type { RepoDirs } from "./git-repo.ts";

/** How many directory watches all work trees may hold together (each is one inotify watch). */
export class WatchBudget {
  readonly max: number;
  used = 0;

  constructor(max: number) {
    this.max = max;
  }
}

/** A repository's ref folders beyond this many (branch names with many slashes) rely on the safety poll. */
const MAX_DIRS_PER_REPO = 32;

/**
 * File watches (inotify) on the places a git operation writes: the git dir (HEAD, index), the shared
 * git dir (packed-refs) and the loose ref folders (refs/heads, refs/remotes and their subfolders).
 * Directories are watched rather than files because git replaces a file by renaming a `.lock` over it,
 * which ends a watch on the old file. Lock files and everything else in those folders are ignored, so
 * panecast's own reads (which write nothing) never wake it.
 */
export class RepoWatch {
  private readonly dirs: RepoDirs;
  private readonly budget: WatchBudget;
  private readonly onChange: () => void;
  private readonly watchers = new Map<string, FSWatcher>();
  private closed = false;

  constructor(dirs: RepoDirs, budget: WatchBudget, onChange: () => void) {
    this.dirs = dirs;
    this.budget = budget;
    this.onChange = onChange;
    this.sync();
  }

  get size(): number {
    return this.watchers.size;
  }

  /** Watches the folders there are now (a new branch folder appears, a deleted one goes). */
  sync(): void {
    if (this.closed) return;
    const { gitDir, commonDir } = this.dirs;
    const wanted = new Map<string, (name: string) => boolean>();
    const top = new Set(["HEAD", "index", ...(gitDir === commonDir ? ["packed-refs"] : [])]);
    wanted.set(gitDir, (n) => top.has(n));
    if (commonDir !== gitDir) wanted.set(commonDir, (n) => n === "packed-refs");
    const refs = (n: string) => !n.endsWith(".lock");
    for (const base of ["refs/heads", "refs/remotes"]) {
      for (const d of folders(path.join(commonDir, base), MAX_DIRS_PER_REPO - wanted.size + 1)) {
        if (wanted.size >= MAX_DIRS_PER_REPO) break;
        wanted.set(d, refs);
      }
    }
    for (const [dir, w] of this.watchers) {
      if (!wanted.has(dir)) {
        w.close();
        this.watchers.delete(dir);
        this.budget.used--;
      }
    }
    // Folders beyond the budget (or that cannot be watched) rely on the safety poll's fingerprint.
    for (const [dir, relevant] of wanted) {
      if (this.watchers.has(dir)) continue;
      if (this.budget.used >= this.budget.max) continue;
      try {
        const w = watch(dir, { persistent: false }, (_event, name) => {
          if (name === null || relevant(String(name))) this.onChange();
        });
        w.on("error", () => this.drop(dir));
        this.watchers.set(dir, w);
        this.budget.used++;
      } catch {
        // The folder went away, or the system is out of watches: the safety poll covers it.
      }
    }
  }

  close(): void {
    this.closed = true;
    for (const w of this.watchers.values()) w.close();
    this.budget.used -= this.watchers.size;
    this.watchers.clear();
  }

  private drop(dir: string): void {
    const w = this.watchers.get(dir);
    if (!w) return;
    w.close();
    this.watchers.delete(dir);
    this.budget.used--;
    this.onChange();
  }
}

/** A folder and its subfolders, breadth first, at most `max`. */
function folders(root: string, max: number): string[] {
  const out: string[] = [];
  const queue = [root];
  while (queue.length > 0 && out.length < max) {
    const dir = queue.shift()!;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    out.push(dir);
    for (const e of entries) if (e.isDirectory()) queue.push(path.join(dir, e.name));
  }
  return out;
}
