import { execFile, spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestTmux } from "../helpers/tmux.ts";

const run = promisify(execFile);
const tmp = mkdtempSync(path.join(tmpdir(), "panecast-package-"));
const prefix = path.join(tmp, "prefix");
const installed = path.join(prefix, "lib", "node_modules", "panecast");
const bin = path.join(prefix, "bin", "panecast");
const state = path.join(tmp, "state");
const tmux = new TestTmux();
const children = new Set<ChildProcess>();

/** The installed `panecast start` (or `command`), run from `cwd`; resolves once it listens, with what it printed. */
async function start(cwd: string, args: string[] = [], command = ["start", "-L", tmux.socketName], extraEnv: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string; out: () => string }> {
  mkdirSync(cwd, { recursive: true });
  const child = spawn(bin, [...command, "--port", "0", ...args], {
    cwd,
    // No PANECAST_DATA_DIR: the default, under XDG_STATE_HOME, is what is being tested.
    env: { PATH: process.env.PATH, HOME: tmp, XDG_STATE_HOME: state, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production", ...extraEnv },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  let out = "";
  let err = "";
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /panecast listening on (http:\/\/[^\s]+?)\/?\s/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once("exit", (code) => reject(new Error(`panecast exited with ${code}: ${err}`)));
  });
  // The admin-token lines follow the listening line in the same write or the next ones.
  await new Promise<void>((resolve) => (/log in at/.test(out) ? resolve() : child.stdout!.on("data", () => /log in at/.test(out) && resolve())));
  return { child, url, out: () => out };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
  children.delete(child);
}

beforeAll(async () => {
  await tmux.newSession("pkg");
  // prepack builds dist/ and web/ when older than their sources.
  await run("npm", ["pack", "--pack-destination", tmp], { cwd: process.cwd(), maxBuffer: 64 * 1024 * 1024 });
  const tgz = readdirSync(tmp).find((f) => /^panecast-\d.*\.tgz$/.test(f));
  if (!tgz) throw new Error("npm pack made no tarball");
  // better-sqlite3 (the search index), the one dependency with an install script, compiles SQLite
  // with node-gyp: minutes on 2 cores. The checkout's own install built it for this same Node, so the
  // package takes that build instead of a second one (a fresh clone's npm install is CI's own test).
  await run("npm", ["install", "-g", "--prefix", prefix, "--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts", path.join(tmp, tgz)], { maxBuffer: 64 * 1024 * 1024 });
  const addon = path.join("build", "Release", "better_sqlite3.node");
  mkdirSync(path.join(installed, "node_modules", "better-sqlite3", "build", "Release"), { recursive: true });
  copyFileSync(path.join(process.cwd(), "node_modules", "better-sqlite3", addon), path.join(installed, "node_modules", "better-sqlite3", addon));
}, 600_000);

afterAll(async () => {
  for (const c of children) await stop(c);
  await tmux.kill();
});

describe("the npm package", () => {
  it("runs `panecast hook` without the rest of the CLI: outside tmux it does nothing and exits 0", async () => {
    const r = await run(bin, ["hook", "claude", "--state", path.join(tmp, "hook-state")], { env: { PATH: process.env.PATH, HOME: tmp, NODE_ENV: "production" } });
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("");
  });

  it("carries compiled JavaScript and the built UI, and no TypeScript tooling", () => {
    const pkg = JSON.parse(readFileSync(path.join(installed, "package.json"), "utf8")) as { private?: boolean; dependencies: Record<string, string>; engines?: { node?: string } };
    expect(pkg.private).toBeUndefined();
    expect(pkg.engines?.node).toBeTruthy();
    for (const dev of ["tsx", "typescript", "tailwindcss", "@tailwindcss/postcss", "@types/node", "@types/react"]) expect(pkg.dependencies).not.toHaveProperty(dev);
    expect(existsSync(path.join(installed, "node_modules", "tsx"))).toBe(false);
    expect(existsSync(path.join(installed, "node_modules", "typescript"))).toBe(false);
    expect(existsSync(path.join(installed, "dist", "cli", "main.js"))).toBe(true);
    expect(existsSync(path.join(installed, "web", "BUILD_ID"))).toBe(true);
    expect(existsSync(path.join(installed, ".next"))).toBe(false);
    // The agent hook runs as plain JavaScript, and the PWA's service worker is part of the export.
    expect(existsSync(path.join(installed, "cli", "hook.mjs"))).toBe(true);
    expect(existsSync(path.join(installed, "web", "sw.js"))).toBe(true);
    const ts = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? (e.name === "node_modules" ? [] : ts(path.join(dir, e.name))) : /\.tsx?$/.test(e.name) && !e.name.endsWith(".d.ts") ? [e.name] : [],
      );
    expect(ts(installed)).toEqual([]);
  });

  it("installs in at most 80 MB, and prints the figure", async () => {
    // `du` counts the blocks the files take, as a user's disk does. A guard against growth (all of
    // next with its compilers was 406 MB; better-sqlite3's SQLite sources are the largest part now).
    const kb = Number((await run("du", ["-sk", installed])).stdout.split(/\s/)[0]);
    console.log(`installed package: ${(kb / 1024).toFixed(1)} MB`);
    expect(kb).toBeGreaterThan(1024);
    expect(kb / 1024).toBeLessThanOrEqual(80);
  });

  it("bundles zod, lru-cache and highlight.js into dist/vendor/ instead of installing them whole", async () => {
    for (const name of ["zod", "lru-cache", "highlight.js"]) expect(existsSync(path.join(installed, "node_modules", name))).toBe(false);
    for (const file of ["zod.js", "lru-cache.js", "highlight-js-lib-common.js"]) expect(existsSync(path.join(installed, "dist", "vendor", file))).toBe(true);
    // The installed server highlights code and validates input with the bundles.
    const { renderMarkdown } = (await import(path.join(installed, "dist", "lib", "dashboard", "render.js"))) as { renderMarkdown: (md: string) => { html: string } };
    expect(JSON.stringify(renderMarkdown("```js\nconst a = 1;\n```\n"))).toContain('hljs-keyword');
  });

  it("runs under the node flags of the bin's shebang, through npm's symlinked bin", async () => {
    // A smaller young generation keeps the busy server's memory down (bench:load with BENCH_BUILT=1).
    expect(readFileSync(bin, "utf8").split("\n")[0]).toBe("#!/usr/bin/env -S node --max-semi-space-size=4");
    const r = await run(bin, ["--version"], { env: { PATH: process.env.PATH, HOME: tmp, NODE_ENV: "production" } });
    expect(r.stdout).toContain("0.1.0");
    // env -S execs node in the same process: the running server carries the flag.
    const server = await start(path.join(tmp, "flags"), [], undefined, { XDG_STATE_HOME: path.join(tmp, "flags-state") });
    try {
      expect(readFileSync(`/proc/${server.child.pid}/cmdline`, "utf8").split("\0")).toContain("--max-semi-space-size=4");
    } finally {
      await stop(server.child);
    }
  });

  it("ships the web UI as a static export, and no Next.js at all", () => {
    const pkg = JSON.parse(readFileSync(path.join(installed, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    for (const uiOnly of ["next", "react", "react-dom", "@xterm/xterm"]) expect(pkg.dependencies).not.toHaveProperty(uiOnly);
    for (const gone of [path.join("node_modules", "next"), path.join("node_modules", "@next"), path.join("node_modules", "react"), path.join("node_modules", "sharp"), "web-modules", ".next"]) {
      expect(existsSync(path.join(installed, gone))).toBe(false);
    }
    for (const page of ["index.html", "login.html", "history.html", "404.html", path.join("dashboard", "__doc__.html")]) expect(existsSync(path.join(installed, "web", page))).toBe(true);
    expect(readdirSync(path.join(installed, "web", "_next", "static", "chunks")).some((f) => f.endsWith(".js"))).toBe(true);
  });

  it("starts from any directory, serves / and /api/healthz, and keeps its state in the data directory", async () => {
    const first = await start(path.join(tmp, "somewhere"));
    expect(first.out()).toContain("first start: created the admin token");
    const login = await fetch(`${first.url}/login`);
    expect(login.status).toBe(200);
    const html = await login.text();
    const asset = /"(\/_next\/static\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    expect((await fetch(`${first.url}${asset}`)).status).toBe(200);
    const root = await fetch(`${first.url}/`, { redirect: "manual" });
    expect(root.status).toBe(303);
    expect(root.headers.get("location")).toMatch(/\/login/);
    const health = await fetch(`${first.url}/api/healthz`);
    expect(health.status).toBe(200);
    // Anyone gets the status; the details (tmux, versions) only with a token.
    expect(await health.json()).toEqual({ status: "ok" });
    const admin = /login#token=(\S+)/.exec(first.out())?.[1];
    expect(admin).toBeDefined();
    const details = await fetch(`${first.url}/api/healthz`, { headers: { authorization: `Bearer ${admin}` } });
    expect(await details.json()).toMatchObject({ status: "ok", tmux: { reachable: true } });
    await stop(first.child);

    const dataDir = path.join(state, "panecast");
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(dataDir, "tokens.json")).mode & 0o777).toBe(0o600);
    expect(existsSync(path.join(tmp, "somewhere", ".panecast"))).toBe(false);

    const second = await start(path.join(tmp, "elsewhere"));
    expect(second.out()).not.toContain("first start");
    expect(second.out()).toContain("log in at");
    await stop(second.child);
  });

  it("serves under a base path from the same prebuilt UI, without writing into the install folder", async () => {
    const before = readdirSync(installed).sort();
    const s = await start(path.join(tmp, "third"), ["--base-path", "/pc"]);
    // The announced URL carries the base path; the paths below are spelled out from the origin.
    expect(s.url).toMatch(/\/pc$/);
    const origin = new URL(s.url).origin;
    const login = await fetch(`${origin}/pc/login`, { redirect: "manual" });
    expect(login.status).toBe(200);
    const asset = /"(\/pc\/_next\/static\/[^"]+\.js)"/.exec(await login.text())?.[1];
    expect(asset).toBeDefined();
    expect((await fetch(`${origin}${asset}`)).status).toBe(200);
    expect((await fetch(`${origin}/pc/api/healthz`)).status).toBe(200);
    // The service worker and the icons are public files, served under the base path too.
    const sw = await fetch(`${origin}/pc/sw.js`, { redirect: "manual" });
    expect(sw.status).toBe(200);
    expect(await sw.text()).toContain("registration.scope");
    await stop(s.child);
    expect(readdirSync(installed).sort()).toEqual(before);
  });

  it("runs `panecast demo` from the install: its fleet is served, and it stops with its tmux server", async () => {
    // TMUX_TMPDIR keeps the demo's fixed socket name (-L panecast-demo) private to this test; a data
    // directory of its own makes it print its first admin token.
    const tmuxDir = mkdtempSync(path.join(tmp, "demo-tmux-"));
    const d = await start(path.join(tmp, "demo"), [], ["demo"], { TMUX_TMPDIR: tmuxDir, XDG_STATE_HOME: mkdtempSync(path.join(tmp, "demo-state-")) });
    try {
      const admin = /login#token=(\S+)/.exec(d.out())?.[1];
      expect(admin).toBeDefined();
      const login = await fetch(`${d.url}/login`);
      expect(login.status).toBe(200);
      // Its fleet runs on its private tmux server, and the server it started answers with a token.
      const { stdout } = await run("tmux", ["-L", "panecast-demo", "list-sessions", "-F", "#{session_name}"], { env: { ...process.env, TMUX_TMPDIR: tmuxDir } });
      expect(stdout.trim().split("\n").sort()).toEqual(["multiagent", "shogun"]);
      const health = await fetch(`${d.url}/api/healthz`, { headers: { authorization: `Bearer ${admin}` } });
      expect(await health.json()).toMatchObject({ status: "ok", tmux: { reachable: true } });
    } finally {
      await stop(d.child);
    }
    // It stops its tmux server on the way out.
    await expect(run("tmux", ["-L", "panecast-demo", "has-session"], { env: { ...process.env, TMUX_TMPDIR: tmuxDir } })).rejects.toThrow();
    // A hang guard, not a speed check: a first start copies the UI and starts five agent processes,
    // which on a loaded machine takes longer than the default minute.
  }, 300_000);
});
