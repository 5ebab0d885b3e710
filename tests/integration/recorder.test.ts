import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PanecastApp } from "../../lib/app.ts";
import { applyDelta } from "../../lib/panes/diff.ts";
import { ACK_RESULTS } from "../../lib/protocol/payloads.ts";
import type { Ack, RecordingFramesResult, SearchResult } from "../../lib/protocol.ts";
import { startWithAuth } from "../helpers/auth.ts";
import { client, type TestClient } from "../helpers/server.ts";
import { TestTmux, until } from "../helpers/tmux.ts";

const tmux = new TestTmux();
let app: PanecastApp;
let url: string;
let audit: string;
let alpha: string;
let beta: string;
let alphaToken: string;
let adminToken: string;
const open: TestClient[] = [];

beforeAll(async () => {
  alpha = await tmux.newSession("alpha");
  beta = await tmux.newSession("beta");
  const s = await startWithAuth(tmux, "recorder:\n  flush_ms: 100\n");
  ({ app, url, audit } = s);
  alphaToken = app.auth.tokens!.create({ name: "alpha-viewer", role: "viewer", sessions: ["alpha"] }).token;
  adminToken = app.auth.tokens!.create({ name: "root", role: "admin" }).token;
  await until(() => app.tracker.frame(alpha) && app.tracker.frame(beta), "both panes tracked");
  await tmux.type(alpha, "echo zebrafruit one");
  await tmux.type(beta, "echo quokkaberry two");
  await until(() => app.tracker.frame(alpha)?.text.includes("zebrafruit one\n") && app.tracker.frame(beta)?.text.includes("quokkaberry two\n"), "both echoes on screen");
  await app.recorder!.recorder.flush();
});

afterAll(async () => {
  for (const c of open) c.close();
  await app?.close();
  await tmux.kill();
});

async function as(token: string): Promise<TestClient> {
  const c = await client(url, { token });
  open.push(c);
  return c;
}

async function search(c: TestClient, text: string): Promise<SearchResult> {
  const r = (await c.emitWithAck("search", { text })) as Ack<SearchResult>;
  if ("error" in r) throw new Error(r.error.code);
  return r.data;
}

describe("flight recorder over sockets", () => {
  it("search finds what a pane printed, in the asker's sessions only", async () => {
    const admin = await as(adminToken);
    const limited = await as(alphaToken);
    const all = await search(admin, "quokkaberry");
    expect(all.hits.some((h) => h.pane === beta && h.session === "beta" && h.line.includes("quokkaberry two"))).toBe(true);
    expect((await search(limited, "quokkaberry")).hits).toEqual([]);
    const own = await search(limited, "zebrafr");
    expect(own.hits.length).toBeGreaterThan(0);
    expect(own.hits.every((h) => h.session === "alpha")).toBe(true);
    expect(own.hits.some((h) => h.context?.some((l) => l.includes("zebrafruit one")))).toBe(true);
  });

  it("recording:frames pages a pane's history and refuses panes outside the token's sessions", async () => {
    const limited = await as(alphaToken);
    const r = (await limited.emitWithAck("recording:frames", { pane: alpha, at: 0, outline: true })) as Ack<RecordingFramesResult>;
    if ("error" in r) throw new Error(r.error.code);
    expect(ACK_RESULTS["recording:frames"].safeParse(r.data).success).toBe(true);
    expect(r.data.outline!.frames.length).toBe(r.data.steps.length);
    expect(r.data.outline!.printed).toBeGreaterThan(0);
    expect(r.data.session).toBe("alpha");
    expect(r.data.steps[0]!.delta.kind).toBe("full");
    let screen: string[] = [];
    for (const s of r.data.steps) screen = applyDelta(screen, s.delta);
    expect(screen.join("\n")).toContain("zebrafruit one");
    const refused = (await limited.emitWithAck("recording:frames", { pane: beta, at: 0 })) as Ack<RecordingFramesResult>;
    expect("error" in refused && refused.error.code).toBe("RECORDING_NOT_FOUND");
    const bad = (await limited.emitWithAck("recording:frames", { pane: "../etc", at: 0 })) as Ack<RecordingFramesResult>;
    expect("error" in bad && bad.error.code).toBe("BAD_REQUEST");
  });
});

describe("flight recorder over HTTP", () => {
  const get = (path: string, token: string) => fetch(new URL(path, url), { headers: { authorization: `Bearer ${token}` } });

  it("exports a pane as asciicast v2, with the viewer's limits, and audits it", async () => {
    const res = await get(`/api/recordings/${encodeURIComponent(alpha)}?since=10m&format=cast`, alphaToken);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/x-asciicast");
    const [head, ...events] = (await res.text()).trimEnd().split("\n");
    expect(JSON.parse(head!)).toMatchObject({ version: 2, width: 80, height: 24 });
    expect(events.join("\n")).toContain("zebrafruit one");
    const refused = await get(`/api/recordings/${encodeURIComponent(beta)}?format=cast`, alphaToken);
    expect(refused.status).toBe(404);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("RECORDING_NOT_FOUND");
    const badTime = await get(`/api/recordings/${encodeURIComponent(alpha)}?since=yesterday`, alphaToken);
    expect(badTime.status).toBe(400);
    await app.auth.audit.flush();
    const lines = readFileSync(audit, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { event: string; token?: string; target?: string });
    expect(lines.filter((l) => l.event === "recording.export")).toEqual([expect.objectContaining({ token: "alpha-viewer", target: alpha })]);
  });

  it("searches with filters and session limits", async () => {
    const limited = (await (await get(`/api/search?q=quokkaberry`, alphaToken)).json()) as SearchResult;
    expect(limited.hits).toEqual([]);
    const admin = (await (await get(`/api/search?q=quokkaberry&session=beta&since=1h`, adminToken)).json()) as SearchResult;
    expect(admin.hits.length).toBeGreaterThan(0);
    const otherPane = (await (await get(`/api/search?q=quokkaberry&pane=${encodeURIComponent(alpha)}`, adminToken)).json()) as SearchResult;
    expect(otherPane.hits).toEqual([]);
    expect((await get(`/api/search?q=`, adminToken)).status).toBe(400);
    expect((await fetch(new URL(`/api/search?q=x`, url))).status).toBe(401);
  });
});

const BIN = path.resolve("bin/panecast.js");

async function panecast(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], { env: { ...process.env, PANECAST_URL: url, PANECAST_TOKEN: "" } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("panecast record export and panecast search", () => {
  it("record export writes an asciicast file of a pane the token may see", async () => {
    const r = await panecast("record", "export", alpha, "--since", "1h", "--token", alphaToken);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout.split("\n")[0]!)).toMatchObject({ version: 2 });
    expect(r.stdout).toContain("zebrafruit one");
    const refused = await panecast("record", "export", beta, "--token", alphaToken);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("RECORDING_NOT_FOUND");
    expect((await panecast("record", "play", alpha)).code).toBe(2);
  });

  it("search --json answers hits within the token's sessions; a table without it", async () => {
    const j = await panecast("search", "zebrafruit", "--json", "--since", "1h", "--token", adminToken);
    expect(j.code).toBe(0);
    const data = JSON.parse(j.stdout) as SearchResult;
    expect(data.hits.some((h) => h.pane === alpha && h.line.includes("zebrafruit one"))).toBe(true);
    const limited = await panecast("search", "quokkaberry", "--json", "--token", alphaToken);
    expect((JSON.parse(limited.stdout) as SearchResult).hits).toEqual([]);
    const table = await panecast("search", "zebrafruit", "--pane", alpha, "--token", adminToken);
    expect(table.stdout).toMatch(/alpha\s+echo zebrafruit one|zebrafruit one/);
    expect((await panecast("search", "x", "--bogus")).code).toBe(2);
  });
});
