import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PanecastApp } from "../../lib/app.ts";
import { scratchAudit, startPanecast } from "../helpers/server.ts";
import { TestTmux } from "../helpers/tmux.ts";

const run = promisify(execFile);
const BIN = path.resolve("bin/panecast.js");

async function panecast(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: { ...process.env, PANECAST_CONFIG: "", PANECAST_AUTH: "off", PANECAST_AUDIT: scratchAudit() } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const tmux = new TestTmux();
let app: PanecastApp;
let url: string;

beforeAll(async () => {
  const karo = await tmux.newSession("multiagent", { width: 100, height: 30 });
  await tmux.tmux("set-option", "-p", "-t", karo, "@agent_id", "karo");
  await tmux.split(karo, "sleep 600");
  await tmux.newSession("shogun");
  ({ app, url } = await startPanecast(tmux));
});

afterAll(async () => {
  await app?.close();
  await tmux.kill();
});

describe("panecast status", () => {
  it("--json lists sessions, windows and panes with agent types, from the configured socket", async () => {
    const r = await panecast("status", "--json", "-L", tmux.socketName);
    expect(r.code).toBe(0);
    const data = JSON.parse(r.stdout) as { sessions: Array<{ name: string; id: string; windows: Array<{ index: number; name: string; panes: Array<Record<string, unknown>> }> }> };
    expect(data.sessions.map((s) => s.name)).toEqual(["multiagent", "shogun"]);
    const panes = data.sessions[0]!.windows[0]!.panes;
    expect(panes).toHaveLength(2);
    expect(panes[0]).toMatchObject({ index: 0, agent_id: "karo", agent_type: "shell", width: 100, active: true, command: "bash" });
    expect(Object.keys(panes[0]!)).toEqual(expect.arrayContaining(["id", "index", "title", "command", "agent_type", "width", "height", "active", "agent_id"]));
    expect(panes[1]).toMatchObject({ command: "sleep", agent_type: "other", agent_id: null });
  });

  it("prints a table without --json", async () => {
    const r = await panecast("status", "--socket-name", tmux.socketName);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^PANE\s+TARGET\s+AGENT\s+TYPE/);
    expect(r.stdout).toMatch(/multiagent:0\.0\*\s+karo\s+shell/);
  });

  it("exits 3 with one clear line when no tmux server runs", async () => {
    const r = await panecast("status", "-L", `${tmux.socketName}-absent`);
    expect(r.code).toBe(3);
    expect(r.stderr.trim()).toBe(`panecast: no tmux server is running on socket name ${tmux.socketName}-absent`);
  });

  it("exits 2 naming the key, the value and what was expected for bad config", async () => {
    const r = await panecast("status", "--port", "99999");
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe("panecast: invalid config: server.port = 99999 (from flag --port): expected at most 65535");
    const d = mkdtempSync(path.join(tmpdir(), "panecast-cli-"));
    writeFileSync(path.join(d, "bad.yaml"), "watch:\n  mode: sometimes\n");
    const r2 = await panecast("start", "--config", path.join(d, "bad.yaml"));
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('watch.mode = "sometimes"');
  });

  it("refuses unknown commands with exit 2", async () => {
    const r = await panecast("frobnicate");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'frobnicate'");
  });
});

describe("HTTP API", () => {
  it("GET /api/healthz reports version, uptime and tmux", async () => {
    const res = await fetch(`${url}/api/healthz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: "ok", version: "0.1.0", watchMode: "push", tmux: { reachable: true, version: "3.3a" } });
    expect(typeof body.uptimeSec).toBe("number");
  });

  it("GET /api/sessions is the fleet as the live `sessions` push carries it", async () => {
    const res = await fetch(`${url}/api/sessions`);
    const body = (await res.json()) as { type: string; sessions: Array<{ name: string }>; status: Record<string, unknown>; git: Record<string, unknown> };
    expect(body.type).toBe("sessions");
    expect(body.sessions).toEqual(JSON.parse(JSON.stringify(app.tracker.topology.sessions)));
    expect(body.sessions.map((s) => s.name)).toEqual(["multiagent", "shogun"]);
    expect(typeof body.status).toBe("object");
    expect(typeof body.git).toBe("object");
  });

  it("answers unknown routes and methods with a code, never a stack", async () => {
    const a = await fetch(`${url}/api/nope`);
    expect(a.status).toBe(404);
    expect(await a.json()).toEqual({ error: { code: "BAD_REQUEST", message: "no such route" } });
    const b = await fetch(`${url}/api/sessions`, { method: "DELETE" });
    expect(b.status).toBe(405);
  });

  it("reports tmux unreachable without failing", async () => {
    const other = new TestTmux();
    const { app: lonely, url: u } = await startPanecast(other);
    try {
      const body = (await (await fetch(`${u}/api/healthz`)).json()) as { tmux: { reachable: boolean; version: string | null } };
      expect(body.tmux).toMatchObject({ reachable: false, version: null });
      expect((await fetch(`${u}/api/readyz`)).status).toBe(503);
    } finally {
      await lonely.close();
    }
  });
});
