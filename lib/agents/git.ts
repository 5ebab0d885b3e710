import { EventEmitter } from "node:events";
import { LRUCache } from "lru-cache";
import type { GitState } from "../protocol.ts";
import { findRepo, repoFingerprint, type RepoDirs } from "./git-repo.ts";
import { GitReader } from "./git-status.ts";
import { RepoWatch, WatchBudget } from "./git-watch.ts";

export interface GitOptions {
  /** The safety poll (at least 60 s): catches what a file watch missed, and edits of panes that printed. */
  pollIntervalMs: number;
  /** A burst of file events (a commit writes several files) becomes one read this long after the last. */
  debounceMs: number;
  /** Directory watches across all work trees. */
  maxWatchers: number;
  maxConcurrent: number;
  timeoutMs: number;
}

interface Repo {
  dirs: RepoDirs;
  watch: RepoWatch;
  state: GitState | null;
  /** The stat fingerprint at the last read: the safety poll reads again only when it moved. */
  fingerprint: string | null;
  /** One of its panes printed since the last read: an agent may have edited files. */
  active: boolean;
  /** Read at least once since it was tracked. */
  seen: boolean;
  timer: NodeJS.Timeout | null;
  reading: Promise<void> | null;
  again: boolean;
}

/**
 * Git state of the work trees the panes sit in, pushed by file watches: a commit, `git add`, a checkout
 * or a fetch writes HEAD, the index or a ref, the watch fires, and that work tree alone is read again
 * (debounced). Work trees are found by walking up to `.git` (no process), so while nothing changes no
 * git process runs. A slow safety poll compares stat fingerprints (still no process) and re-reads work
 * trees whose panes printed meanwhile, since editing files touches nothing under `.git`.
 * Runs only while a client watches (`setActive`); watches close when their work tree has no pane left.
 */
export class GitWatcher extends EventEmitter<{ changed: [Record<string, GitState | null>]; read: [root: string] }> {
  private readonly opts: GitOptions;
  private readonly paneCwds: () => Map<string, string>;
  private readonly reader: GitReader;
  private readonly budget: WatchBudget;
  private readonly found: LRUCache<string, { dirs: RepoDirs | null }>;
  private readonly repos = new Map<string, Repo>();
  private paneRoot = new Map<string, string | null>();
  private byPane: Record<string, GitState | null> = {};
  private poll: NodeJS.Timeout | null = null;
  private active = false;
  private stopped = false;
  readonly stats = { reads: 0, fileEvents: 0 };

  constructor(paneCwds: () => Map<string, string>, opts: GitOptions) {
    super();
    this.paneCwds = paneCwds;
    this.opts = opts;
    this.reader = new GitReader({ maxConcurrent: opts.maxConcurrent, timeoutMs: opts.timeoutMs });
    this.budget = new WatchBudget(opts.maxWatchers);
    this.found = new LRUCache({ max: 2000, ttl: opts.pollIntervalMs });
  }

  get state(): Record<string, GitState | null> {
    return this.byPane;
  }

  /** git processes started so far. */
  get spawns(): number {
    return this.reader.stats.spawns;
  }

  /** Directory watches held now. */
  get watches(): number {
    return this.budget.used;
  }

  setActive(active: boolean): void {
    if (this.stopped || active === this.active) return;
    this.active = active;
    if (active) {
      this.sync(false);
      if (!this.poll) this.schedulePoll();
      return;
    }
    if (this.poll) clearTimeout(this.poll);
    this.poll = null;
    for (const root of [...this.repos.keys()]) this.forget(root);
  }

  stop(): void {
    this.setActive(false);
    this.stopped = true;
  }

  private schedulePoll(): void {
    this.poll = setTimeout(() => {
      this.poll = null;
      void this.safetyCheck().finally(() => {
        if (this.active && !this.poll) this.schedulePoll();
      });
    }, this.opts.pollIntervalMs);
    this.poll.unref();
  }

  /** The panes changed (added, removed, moved to another directory): watch the work trees they are in now. */
  panesChanged(): void {
    if (this.active) this.sync(false);
  }

  /** A pane printed: its agent may have edited files, which the next safety poll reads. */
  noteOutput(pane: string): void {
    const root = this.paneRoot.get(pane);
    const repo = root ? this.repos.get(root) : undefined;
    if (repo) repo.active = true;
  }

  /** Reads every work tree now; resolves with how many there are. */
  async refresh(): Promise<number> {
    this.sync(true);
    const repos = [...this.repos.values()];
    await Promise.all(repos.map((r) => this.read(r)));
    return repos.length;
  }

  /**
   * The safety poll: finds work trees afresh, and reads those whose files changed unseen (a missed or
   * unwatched event) or whose panes printed since the last read. Resolves with how many it read.
   */
  async safetyCheck(): Promise<number> {
    this.sync(true);
    const due = [...this.repos.values()].filter((r) => r.active || repoFingerprint(r.dirs) !== r.fingerprint);
    await Promise.all(due.map((r) => this.read(r)));
    return due.length;
  }

  /** Maps panes to work trees; starts watching (and reads) new ones, forgets those no pane is in. */
  private sync(fresh: boolean): void {
    if (!this.active) return;
    if (fresh) this.found.clear();
    const next = new Map<string, string | null>();
    for (const [pane, cwd] of this.paneCwds()) {
      let hit = this.found.get(cwd);
      if (!hit) {
        hit = { dirs: findRepo(cwd) };
        this.found.set(cwd, hit);
      }
      next.set(pane, hit.dirs?.root ?? null);
      if (hit.dirs && !this.repos.has(hit.dirs.root)) this.track(hit.dirs);
    }
    this.paneRoot = next;
    const used = new Set(next.values());
    for (const root of [...this.repos.keys()]) if (!used.has(root)) this.forget(root);
    this.publish();
  }

  private track(dirs: RepoDirs): void {
    const repo: Repo = { dirs, watch: null as unknown as RepoWatch, state: null, fingerprint: null, active: false, seen: false, timer: null, reading: null, again: false };
    repo.watch = new RepoWatch(dirs, this.budget, () => this.onFileEvent(repo));
    this.repos.set(dirs.root, repo);
    void this.read(repo);
  }

  private forget(root: string): void {
    const repo = this.repos.get(root);
    if (!repo) return;
    repo.watch.close();
    if (repo.timer) clearTimeout(repo.timer);
    this.repos.delete(root);
  }

  private onFileEvent(repo: Repo): void {
    this.stats.fileEvents++;
    if (repo.timer || this.repos.get(repo.dirs.root) !== repo) return;
    repo.timer = setTimeout(() => {
      repo.timer = null;
      void this.read(repo);
    }, this.opts.debounceMs);
  }

  /** One read of a work tree at a time; a request meanwhile reads once more after it. */
  private read(repo: Repo): Promise<void> {
    if (repo.reading) {
      repo.again = true;
      return repo.reading;
    }
    repo.reading = (async () => {
      do {
        repo.again = false;
        repo.active = false;
        repo.fingerprint = repoFingerprint(repo.dirs);
        const state = await this.reader.read(repo.dirs.root);
        this.stats.reads++;
        if (this.repos.get(repo.dirs.root) !== repo) return;
        repo.state = state;
        repo.seen = true;
        repo.watch.sync();
      } while (repo.again);
      this.publish();
      this.emit("read", repo.dirs.root);
    })().finally(() => (repo.reading = null));
    return repo.reading;
  }

  private publish(): void {
    const next: Record<string, GitState | null> = {};
    for (const [pane, root] of this.paneRoot) {
      const repo = root ? this.repos.get(root) : undefined;
      // Until a newly tracked work tree is read, a pane keeps what it showed (no flash of "unknown").
      next[pane] = !repo ? null : repo.seen ? repo.state : (this.byPane[pane] ?? null);
    }
    if (JSON.stringify(next) !== JSON.stringify(this.byPane)) {
      this.byPane = next;
      this.emit("changed", next);
    }
  }
}
