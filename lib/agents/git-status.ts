import { execFile } from "node:child_process";
import type { GitState } from "../protocol.ts";

export interface GitReaderOptions {
  maxConcurrent: number;
  timeoutMs: number;
}

/**
 * Reads a work tree's git state (seed 002): branch, ahead/behind its upstream, dirty, files changed,
 * lines added/removed. At most `maxConcurrent` git processes at once, each with a timeout, never
 * through a shell, and with GIT_OPTIONAL_LOCKS=0 so panecast never takes (or rewrites) the index an
 * agent's own git needs: a read changes nothing a file watch would see.
 */
export class GitReader {
  private readonly opts: GitReaderOptions;
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  /** git processes started, for tests and metrics: none should start while nothing changes. */
  readonly stats = { spawns: 0 };

  constructor(opts: GitReaderOptions) {
    this.opts = opts;
  }

  async read(root: string): Promise<GitState | null> {
    const status = await this.git(root, ["status", "--porcelain=v2", "--branch", "--untracked-files=normal"]);
    if (status === null) return null;
    const s: GitState = { root, branch: null, upstream: null, ahead: 0, behind: 0, dirty: false, filesChanged: 0, linesAdded: 0, linesRemoved: 0 };
    let hasHead = false;
    for (const line of status.split("\n")) {
      if (line.startsWith("# branch.oid ")) hasHead = line.slice(13) !== "(initial)";
      else if (line.startsWith("# branch.head ")) s.branch = line.slice(14) === "(detached)" ? null : line.slice(14);
      else if (line.startsWith("# branch.upstream ")) s.upstream = line.slice(18);
      else if (line.startsWith("# branch.ab ")) {
        const m = /\+(\d+) -(\d+)/.exec(line);
        if (m) {
          s.ahead = Number(m[1]);
          s.behind = Number(m[2]);
        }
      } else if (/^[12u?] /.test(line)) s.filesChanged++;
    }
    s.dirty = s.filesChanged > 0;
    if (hasHead && s.dirty) {
      const numstat = await this.git(root, ["diff", "--numstat", "HEAD"]);
      for (const line of numstat?.split("\n") ?? []) {
        const [a, r] = line.split("\t");
        if (a && a !== "-") s.linesAdded += Number(a) || 0;
        if (r && r !== "-") s.linesRemoved += Number(r) || 0;
      }
    }
    return s;
  }

  /** One git process, within the concurrency cap and the timeout; null when it failed. */
  private async git(cwd: string, args: string[]): Promise<string | null> {
    if (this.active >= this.opts.maxConcurrent) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    this.stats.spawns++;
    try {
      return await new Promise<string | null>((resolve) => {
        execFile(
          "git",
          ["-C", cwd, ...args],
          { timeout: this.opts.timeoutMs, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, GIT_OPTIONAL_LOCKS: "0", LC_ALL: "C", GIT_TERMINAL_PROMPT: "0" } },
          (err, stdout) => resolve(err ? null : stdout),
        );
      });
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}
