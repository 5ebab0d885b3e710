import { execFile } from "node:child_process";
import { EventEmitter } from "node:events";
import { LRUCache } from "lru-cache";
import type { GitState } from "../protocol.ts";

export interface GitOptions {
  intervalMs: number;
  maxConcurrent: number;
  timeoutMs: number;
}

/**
 * Git state of the work trees the panes sit in (seed 002): branch, ahead/behind its upstream, dirty,
 * files changed, lines added/removed. Refreshed every `intervalMs` while someone watches, and on
 * demand; at most `maxConcurrent` git processes at once, each with a timeout, never through a shell,
 * and with GIT_OPTIONAL_LOCKS=0 so panecast never takes the index lock an agent's own git needs.
 */
export class GitWatcher extends EventEmitter<{ changed: [Record<string, GitState | null>] }> {
  private readonly opts: GitOptions;
  private readonly paneCwds: () => Map<string, string>;
  private readonly roots = new LRUCache<string, { root: string | null }>({ max: 2000, ttl: 60_000 });
  private byPane: Record<string, GitState | null> = {};
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  private stopped = false;

  constructor(paneCwds: () => Map<string, string>, opts: GitOptions) {
    super();
    this.paneCwds = paneCwds;
    this.opts = opts;
  }

  get state(): Record<string, GitState | null> {
    return this.byPane;
  }

  setActive(active: boolean): void {
    if (active && !this.timer && !this.stopped) {
      const tick = () => {
        void this.refresh().finally(() => {
          if (this.timer) this.timer = setTimeout(tick, this.opts.intervalMs);
        });
      };
      this.timer = setTimeout(tick, 0);
    } else if (!active && this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  stop(): void {
    this.stopped = true;
    this.setActive(false);
  }

  /** Reads every work tree now (joining a refresh already running); resolves with how many there were. */
  refresh(): Promise<number> {
    this.running ??= this.doRefresh().finally(() => (this.running = null));
    return this.running;
  }

  private async doRefresh(): Promise<number> {
    const cwds = this.paneCwds();
    const rootOf = new Map<string, string | null>();
    await Promise.all([...new Set(cwds.values())].map(async (cwd) => rootOf.set(cwd, await this.root(cwd))));
    const roots = [...new Set([...rootOf.values()].filter((r): r is string => r !== null))];
    const states = new Map<string, GitState | null>();
    await Promise.all(roots.map(async (r) => states.set(r, await this.read(r))));
    const next: Record<string, GitState | null> = {};
    for (const [pane, cwd] of cwds) {
      const root = rootOf.get(cwd) ?? null;
      next[pane] = root ? (states.get(root) ?? null) : null;
    }
    if (JSON.stringify(next) !== JSON.stringify(this.byPane)) {
      this.byPane = next;
      this.emit("changed", next);
    }
    return roots.length;
  }

  private async root(cwd: string): Promise<string | null> {
    const cached = this.roots.get(cwd);
    if (cached) return cached.root;
    const out = await this.git(cwd, ["rev-parse", "--show-toplevel"]);
    const root = out?.trim() || null;
    this.roots.set(cwd, { root });
    return root;
  }

  private async read(root: string): Promise<GitState | null> {
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
