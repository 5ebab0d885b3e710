import { execFileSync } from "node:child_process";
import { mkdtempSync, realpathSync, writeFileSync } from "node:fs";
import type { EventEmitter } from "node:events";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GitWatcher } from "../../../lib/agents/git.ts";
import type { PanecastApp } from "../../../lib/app.ts";
import type { GitState } from "../../../lib/protocol.ts";
import { client, startPanecast, type TestClient } from "../../helpers/server.ts";
import { TestTmux, until } from "../../helpers/tmux.ts";
import { stripAnsi } from "../../../lib/ansi.ts";

const tmux = new TestTmux();
const scratch = realpathSync(mkdtempSync(path.join(tmpdir(), "panecast-gitwatch-")));
const repo = path.join(scratch, "repo");
const env = { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" };
const git = (cwd: string, ...args: string[]) => execFileSync("git", ["-C", cwd, ...args], { env });
let app: PanecastApp;
let c: TestClient;
let pane: string;

/** Resolves with the first `changed` push whose state of `id` satisfies `ok`. */
function gitChange(id: string, ok: (g: GitState | null | undefined) => boolean): Promise<GitState | null | undefined> {
  const w = app.awareness.git;
  if (ok(w.state[id])) return Promise.resolve(w.state[id]);
  return new Promise((resolve) => {
    const on = (s: Record<string, GitState | null>) => {
      if (!ok(s[id])) return;
      w.off("changed", on);
      resolve(s[id]);
    };
    w.on("changed", on);
  });
}

function once<T extends unknown[]>(emitter: EventEmitter, event: string, ok: (...args: T) => boolean): Promise<void> {
  return new Promise((resolve) => {
    const on = (...args: unknown[]) => {
      if (!ok(...(args as T))) return;
      emitter.off(event, on);
      resolve();
    };
    emitter.on(event, on);
  });
}

function screen(id: string): string {
  const u = app.tracker.fullUpdate(id);
  return u?.delta.kind === "full" ? u.delta.lines.join("\n") : "";
}

beforeAll(async () => {
  execFileSync("mkdir", ["-p", repo]);
  git(repo, "init", "-q", "-b", "main");
  writeFileSync(path.join(repo, "a.txt"), "one\n");
  git(repo, "add", "a.txt");
  git(repo, "commit", "-q", "-m", "first");
  pane = (await tmux.tmux("new-session", "-d", "-s", "gitty", "-c", repo, "-P", "-F", "#{pane_id}", "env", "PS1=$ ", "bash", "--norc", "--noprofile")).trim();
  writeFileSync(path.join(scratch, "panecast.yaml"), "git:\n  debounce_ms: 20\n");
  ({ app } = await startPanecast(tmux, ["--config", path.join(scratch, "panecast.yaml")]));
  const first = gitChange(pane, (g) => g?.branch === "main");
  c = await client(`http://127.0.0.1:${(app.httpServer.address() as { port: number }).port}`);
  await first;
});

afterAll(async () => {
  c?.close();
  await app?.close();
  await tmux.kill();
});

describe("git state from file watches", () => {
  it("finds the work tree without git, and reads it once a client watches", () => {
    expect(app.awareness.git.state[pane]).toMatchObject({ root: repo, branch: "main", dirty: false });
    expect(app.awareness.git.watches).toBeGreaterThan(0);
  });

  it("reads again when `git add` writes the index, and when a commit moves the branch", async () => {
    writeFileSync(path.join(repo, "a.txt"), "one\ntwo\n");
    const staged = gitChange(pane, (g) => g?.dirty === true && g.linesAdded === 1);
    git(repo, "add", "a.txt");
    await staged;
    const committed = gitChange(pane, (g) => g?.dirty === false);
    git(repo, "commit", "-q", "-m", "second");
    expect(await committed).toMatchObject({ branch: "main", filesChanged: 0 });
  });

  it("runs no git while nothing under .git changes, and the safety poll reads only what may have changed", async () => {
    const w = app.awareness.git;
    const before = w.spawns;
    // The pane prints, and a file is edited without staging: nothing git watches changes.
    // Wait for the echo's output and the prompt after it, so no update of this command lands after the
    // first safety check (it would count as "printed since the last read" in the second).
    const settled = (text: string) => /^quiet-marker$/m.test(stripAnsi(text)) && /\$\s*$/.test(stripAnsi(text).trimEnd());
    const printed = once<[{ pane: string }]>(app.tracker, "update", (u) => u.pane === pane && settled(screen(pane)));
    writeFileSync(path.join(repo, "a.txt"), "one\ntwo\nthree\n");
    await tmux.type(pane, "echo quiet-marker");
    await printed;
    expect(w.spawns).toBe(before);
    // The safety poll reads the work tree whose pane printed (the edit shows)…
    const edited = gitChange(pane, (g) => g?.dirty === true && g.linesAdded === 1);
    expect(await w.safetyCheck()).toBe(1);
    await edited;
    const after = w.spawns;
    expect(after).toBeGreaterThan(before);
    // …and nothing when nothing printed and no file changed.
    expect(await w.safetyCheck()).toBe(0);
    expect(w.spawns).toBe(after);
    git(repo, "checkout", "-q", "--", "a.txt");
  });

  it("follows a linked work tree (.git is a file) and closes its watches when its pane goes", async () => {
    const w = app.awareness.git;
    const watchesBefore = w.watches;
    const linked = path.join(scratch, "linked");
    git(repo, "worktree", "add", "-q", "-b", "feature", linked);
    const p = (await tmux.tmux("new-session", "-d", "-s", "linked", "-c", linked, "-P", "-F", "#{pane_id}")).trim();
    expect(await gitChange(p, (g) => g?.branch === "feature")).toMatchObject({ root: linked, dirty: false });
    expect(w.watches).toBeGreaterThan(watchesBefore);
    writeFileSync(path.join(linked, "b.txt"), "b\n");
    const staged = gitChange(p, (g) => g?.dirty === true && g.filesChanged === 1);
    git(linked, "add", "b.txt");
    await staged;
    const committed = gitChange(p, (g) => g?.dirty === false);
    git(linked, "commit", "-q", "-m", "on feature");
    await committed;
    const gone = gitChange(p, (g) => g === undefined);
    await tmux.tmux("kill-session", "-t", "=linked");
    await gone;
    expect(w.watches).toBe(watchesBefore);
  });

  it("stops watching when the last client leaves", async () => {
    const w = app.awareness.git;
    const left = new Promise<void>((resolve) => c.once("disconnect", () => resolve()));
    c.close();
    await left;
    await until(() => w.watches === 0, "the watches closed");
    expect(app.hub.clientCount).toBe(0);
  });
});

describe("the safety poll without file watches", () => {
  it("reads a work tree whose git files changed unseen, and nothing else", async () => {
    const w = new GitWatcher(() => new Map([["%9", repo]]), { pollIntervalMs: 60_000, debounceMs: 0, maxWatchers: 0, maxConcurrent: 2, timeoutMs: 5000 });
    const first = new Promise<void>((resolve) => w.once("read", () => resolve()));
    w.setActive(true);
    await first;
    expect(w.watches).toBe(0);
    expect(await w.safetyCheck()).toBe(0);
    const spawns = w.spawns;
    writeFileSync(path.join(repo, "c.txt"), "c\n");
    git(repo, "add", "c.txt");
    expect(w.spawns).toBe(spawns);
    expect(await w.safetyCheck()).toBe(1);
    expect(w.state["%9"]).toMatchObject({ dirty: true, filesChanged: 1 });
    w.stop();
    git(repo, "reset", "-q", "c.txt");
  });
});
