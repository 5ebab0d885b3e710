import { execFile } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../helpers/net.ts";
import { TestRedis } from "../helpers/redis.ts";
import { startPanecast } from "../helpers/server.ts";
import { freshName, TestTmux } from "../helpers/tmux.ts";

// `panecast doctor` run as a person would: the compiled CLI as a child process, in a scratch HOME.

const run = promisify(execFile);
const BIN = path.resolve("bin/panecast.js");
const scratch = () => mkdtempSync(path.join(tmpdir(), "panecast-doctor-"));

interface Ran {
  code: number;
  stdout: string;
  /** Each check's status and name, e.g. "ok data dir". */
  checks: string[];
  line(name: string): string;
}

async function doctor(args: string[], env: Record<string, string | undefined> = {}, cwd = scratch()): Promise<Ran> {
  const base: Record<string, string | undefined> = { ...process.env, PANECAST_CONFIG: "", PANECAST_URL: "", PANECAST_DATA_DIR: undefined, XDG_STATE_HOME: undefined, ...env };
  const clean = Object.fromEntries(Object.entries(base).filter((e): e is [string, string] => e[1] !== undefined)) as NodeJS.ProcessEnv;
  let code = 0;
  let stdout: string;
  try {
    ({ stdout } = await run(process.execPath, [BIN, "doctor", ...args], { env: clean, cwd }));
  } catch (err) {
    ({ code, stdout } = err as { code: number; stdout: string });
  }
  const lines = stdout.trim().split("\n");
  return {
    code,
    stdout,
    checks: lines.map((l) => l.slice(0, 16).trim().replace(/\s+/, " ")),
    line: (name) => lines.find((l) => l.slice(6, 16).trim() === name) ?? "",
  };
}

const uiBuilt = (r: Ran) => r.line("web UI").startsWith("ok");

describe("panecast doctor", () => {
  const tmux = new TestTmux();
  beforeAll(async () => {
    await tmux.newSession("doc");
  });
  afterAll(async () => {
    await tmux.kill();
  });

  it("before the first start, in a fresh HOME with no data directory and no settings: reports each check and exits 0 when nothing blocks", async () => {
    const home = scratch();
    const port = await freePort();
    const r = await doctor(["-L", freshName("none"), "--port", String(port)], { HOME: home }, home);
    expect(r.checks).toEqual(["ok config", "ok tmux", "note socket", "ok data dir", "note server", expect.stringMatching(/^(ok|FAIL) web UI$/), "ok browser"]);
    expect(r.line("config")).toContain("valid");
    expect(r.line("tmux")).toMatch(/tmux \d+\.\d+/);
    expect(r.line("socket")).toContain("panecast shows its sessions once one runs");
    const dataDir = path.join(home, ".local", "state", "panecast");
    expect(r.line("data dir")).toContain(`${dataDir} does not exist yet: panecast start makes it (mode 700)`);
    expect(r.line("server")).toContain(`not running; 127.0.0.1:${port} is free for panecast start`);
    // Nothing but the web UI build (a checkout not yet built) could have failed.
    expect(r.code).toBe(uiBuilt(r) ? 0 : 1);
    // It only looked: nothing was made.
    expect(existsSync(dataDir)).toBe(false);
  });

  it("fails when the data directory could not be made", async () => {
    const home = path.join(scratch(), "home-is-a-file");
    writeFileSync(home, "");
    const r = await doctor(["-L", tmux.socketName, "--port", String(await freePort())], { HOME: home }, tmpdir());
    expect(r.line("data dir")).toBe(`FAIL  data dir   ${path.join(home, ".local", "state", "panecast")}: cannot be made, ${home} is not a directory`);
    expect(r.code).toBe(1);
  });

  it("says a running panecast answers at the configured URL, and fails clearly where nothing or something else answers", async () => {
    const s = await startPanecast(tmux);
    const other: Server = createServer((_req, res) => res.writeHead(404).end("not here"));
    try {
      const dir = scratch();
      chmodSync(dir, 0o700);
      const port = new URL(s.url).port;
      const up = await doctor(["-L", tmux.socketName, "--port", port], { PANECAST_DATA_DIR: dir });
      expect(up.line("server")).toBe(`ok    server     panecast answers at http://127.0.0.1:${port}`);
      expect(up.line("socket")).toContain(`socket name ${tmux.socketName}: 1 session`);
      expect(up.code).toBe(uiBuilt(up) ? 0 : 1);

      // A URL given as where a server should be: no answer there is a failure, said in one line.
      const nowhere = `http://127.0.0.1:${await freePort()}`;
      const down = await doctor(["-L", tmux.socketName, "--url", nowhere], { PANECAST_DATA_DIR: dir });
      expect(down.line("server")).toBe(`FAIL  server     no panecast answers at ${nowhere} (connection refused): is it running, and is the URL right?`);
      expect(down.code).toBe(1);
      const viaEnv = await doctor(["-L", tmux.socketName], { PANECAST_DATA_DIR: dir, PANECAST_URL: nowhere });
      expect(viaEnv.line("server")).toMatch(/^FAIL  server     no panecast answers/);

      // The configured port taken by another program.
      await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
      const taken = await doctor(["-L", tmux.socketName, "--port", String((other.address() as AddressInfo).port)], { PANECAST_DATA_DIR: dir });
      expect(taken.line("server")).toMatch(/^FAIL  server     http:\/\/127\.0\.0\.1:\d+ answers HTTP 404, not panecast's health route/);
      expect(taken.code).toBe(1);
    } finally {
      other.close();
      await s.app.close();
    }
  });

  it("fails on a data directory others can read; a missing tmux server is only a note", async () => {
    const dir = scratch();
    chmodSync(dir, 0o700);
    const port = String(await freePort());
    const good = await doctor(["-L", tmux.socketName, "--port", port], { PANECAST_DATA_DIR: dir });
    expect(good.checks).toEqual(["ok config", "ok tmux", "ok socket", "ok data dir", "note server", expect.stringMatching(/^(ok|FAIL) web UI$/), "ok browser"]);
    expect(good.code).toBe(uiBuilt(good) ? 0 : 1);

    chmodSync(dir, 0o755);
    const bad = await doctor(["-L", tmux.socketName, "--port", port], { PANECAST_DATA_DIR: dir });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^FAIL  data dir .*mode 755, expected 700/m);
    const gone = await doctor(["-L", `${tmux.socketName}-absent`, "--port", port], { PANECAST_DATA_DIR: dir });
    expect(gone.stdout).toMatch(/^note  socket /m);
  });

  it("checks Redis when clustering is configured: a real redis-server answers, a stopped one fails", async () => {
    const redis = new TestRedis();
    await redis.start();
    try {
      const dir = scratch();
      chmodSync(dir, 0o700);
      const port = String(await freePort());
      const up = await doctor(["-L", tmux.socketName, "--port", port], { PANECAST_DATA_DIR: dir, PANECAST_REDIS_URL: redis.url });
      expect(up.stdout).toMatch(new RegExp(`^ok    redis +${redis.url.replace(/[/.]/g, "\\$&")}: PONG$`, "m"));
      expect(up.code).toBe(uiBuilt(up) ? 0 : 1);
      await redis.stop();
      const down = await doctor(["-L", tmux.socketName, "--port", port], { PANECAST_DATA_DIR: dir, PANECAST_REDIS_URL: redis.url });
      expect(down.stdout).toMatch(/^FAIL  redis /m);
      expect(down.code).toBe(1);
    } finally {
      await redis.stop();
    }
  });
});
