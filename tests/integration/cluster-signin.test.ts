import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PanecastApp } from "../../lib/app.ts";
import type { PaneUpdate } from "../../lib/protocol.ts";
import { TestRedis } from "../helpers/redis.ts";
import { client, startPanecast } from "../helpers/server.ts";
import { freshName, TestTmux, until } from "../helpers/tmux.ts";

// Any node serves anyone: sign-ins (cookie key and login sessions) are the cluster's, and a pane's
// seqs are the same on every node, so a client resumes on another node with deltas only.

const run = promisify(execFile);
const BIN = path.resolve(import.meta.dirname, "../../bin/panecast.js");
const redis = new TestRedis();
const tmuxA = new TestTmux();
const tmuxB = new TestTmux();
let a: { app: PanecastApp; url: string };
let b: { app: PanecastApp; url: string };
let admin: string;
let paneA: string;
let paneB: string;
const open: Socket[] = [];

function node(name: string, tmux: TestTmux): Promise<{ app: PanecastApp; url: string }> {
  // Each node its own data directory: nothing about sign-ins is shared through the disk.
  const scratch = mkdtempSync(path.join(tmpdir(), "panecast-signin-"));
  return startPanecast(tmux, [], { PANECAST_AUTH: "on", PANECAST_DATA_DIR: scratch, PANECAST_TOKENS: path.join(scratch, "tokens.json"), PANECAST_NODE: name, PANECAST_REDIS_URL: redis.url, PANECAST_MAX_SESSIONS_PER_TOKEN: "2", PANECAST_LOGINS_PER_TOKEN_PER_MINUTE: "5" });
}

// The page key each sign-in hands its page (sockets and API calls by cookie must show it).
const pageKeys = new Map<string, string>();

async function login(url: string, token = admin): Promise<string> {
  const r = await fetch(`${url}/api/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token }) });
  expect(r.status).toBe(200);
  const cookie = r.headers.get("set-cookie")!.split(";")[0]!;
  pageKeys.set(cookie, ((await r.json()) as { data: { pageKey: string } }).data.pageKey);
  return cookie;
}

/** A socket signed in by cookie; resolves with the reason it was dropped, if it is. */
async function cookieSocket(url: string, cookie: string): Promise<{ s: Socket; dropped: Promise<string> }> {
  const s = io(url, { transports: ["websocket"], extraHeaders: { cookie }, auth: { page: pageKeys.get(cookie) }, reconnection: false, forceNew: true });
  open.push(s);
  const dropped = new Promise<string>((resolve) => s.on("server:error", (e: { message: string }) => resolve(e.message)));
  await new Promise<void>((resolve, reject) => {
    s.once("hello", () => resolve());
    s.once("connect_error", reject);
  });
  return { s, dropped };
}

beforeAll(async () => {
  await redis.start();
  paneA = await tmuxA.newSession("alpha-work");
  paneB = await tmuxB.newSession("beta-work");
  a = await node("alpha", tmuxA);
  admin = a.app.bootstrapToken!;
  b = await node("beta", tmuxB);
  await until(() => a.app.cluster!.source.locate(`beta/${paneB}`) && b.app.cluster!.source.locate(`alpha/${paneA}`), "each node's panes on the other");
}, 30_000);

afterAll(async () => {
  for (const s of open) s.disconnect();
  await a?.app.close();
  await b?.app.close();
  await Promise.all([tmuxA.kill(), tmuxB.kill(), redis.stop()]);
});

describe("any node serves anyone", () => {
  it("takes on beta a login made on alpha (HTTP and socket), and a logout on beta ends it on alpha too, closing its socket there", async () => {
    const cookie = await login(a.url);
    expect((await fetch(`${b.url}/api/me`, { headers: { cookie } })).status).toBe(200);
    const onB = await cookieSocket(b.url, cookie);
    const onA = await cookieSocket(a.url, cookie);
    expect(onB.s.connected && onA.s.connected).toBe(true);
    const out = await fetch(`${b.url}/api/logout`, { method: "POST", headers: { cookie } });
    expect(out.status).toBe(200);
    expect(await onA.dropped).toBe("signed out");
    expect((await fetch(`${a.url}/api/me`, { headers: { cookie } })).status).toBe(401);
    expect((await fetch(`${b.url}/api/me`, { headers: { cookie } })).status).toBe(401);
  });

  it("ends every login on every node when the cluster's key is rotated with `panecast token rotate-key` and PANECAST_REDIS_URL", async () => {
    const cookie = await login(b.url);
    const onA = await cookieSocket(a.url, cookie);
    await run(process.execPath, [BIN, "token", "rotate-key"], { env: { ...process.env, PANECAST_REDIS_URL: redis.url, PANECAST_DATA_DIR: mkdtempSync(path.join(tmpdir(), "panecast-cli-")) } });
    expect(await onA.dropped).toBe("signed out");
    expect((await fetch(`${b.url}/api/me`, { headers: { cookie } })).status).toBe(401);
    // A new login works on both again, under the new key.
    const fresh = await login(a.url);
    expect((await fetch(`${b.url}/api/me`, { headers: { cookie: fresh } })).status).toBe(200);
  });

  it("holds auth.max_sessions_per_token across nodes: a third login on beta ends the token's least recently used one, made on alpha, everywhere", async () => {
    const token = a.app.auth.tokens!.create({ name: freshName("cap"), role: "viewer" }).token;
    await until(() => b.app.auth.tokens!.verify(token), "the token known on beta");
    const first = await login(a.url, token);
    const onB = await cookieSocket(b.url, first);
    const second = await login(a.url, token);
    // beta reads the second too, and it is now the more recently used of the two there.
    expect((await fetch(`${b.url}/api/me`, { headers: { cookie: second } })).status).toBe(200);
    const third = await login(b.url, token);
    expect(await onB.dropped).toBe("signed out");
    await until(async () => (await fetch(`${a.url}/api/me`, { headers: { cookie: first } })).status === 401, "the first login ended on alpha");
    for (const url of [a.url, b.url]) for (const c of [second, third]) expect((await fetch(`${url}/api/me`, { headers: { cookie: c } })).status).toBe(200);
  });

  it("counts a token's logins per minute over every node: past auth.logins_per_token_per_minute on the two together, RATE_LIMITED", async () => {
    const token = a.app.auth.tokens!.create({ name: freshName("often"), role: "viewer" }).token;
    await until(() => b.app.auth.tokens!.verify(token), "the token known on beta");
    const status = (url: string) => fetch(`${url}/api/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token }) }).then((r) => r.status);
    const codes: number[] = [];
    for (const url of [a.url, a.url, a.url, b.url, b.url, b.url]) codes.push(await status(url));
    // Three on alpha and two on beta are the five allowed; beta's third is one too many for the cluster.
    expect(codes).toEqual([200, 200, 200, 200, 200, 429]);
  });

  it("gives a client that resumes on beta, holding alpha's seqs, no full screen for unchanged panes and a delta for one that changed", async () => {
    // A full screen, so a short change is much smaller than a resend of it.
    await tmuxB.type(paneB, "clear; for i in $(seq 1 20); do printf 'row-%02d %s\\n' $i $(printf 'x%.0s' $(seq 1 60)); done");
    await until(() => a.app.cluster!.source.fullUpdate(`beta/${paneB}`)?.delta.kind === "full" && (a.app.cluster!.source.fullUpdate(`beta/${paneB}`)!.delta as { lines: string[] }).lines.some((l) => l.includes("row-20 xxx")), "beta's full screen on alpha");
    const first = await client(a.url, { token: admin });
    const r = await first.emitWithAck("subscribe", {});
    if (!("data" in r)) throw new Error(r.error.code);
    const hello = await first.hello;
    const seqs: Record<string, number> = {};
    for (const u of r.data.updates) seqs[u.pane] = u.seq;
    expect(Object.keys(seqs)).toEqual(expect.arrayContaining([`alpha/${paneA}`, `beta/${paneB}`]));
    first.disconnect();
    // Beta's pane prints while the client is away; it must come as a delta from the seq it holds.
    await tmuxB.type(paneB, "echo away-$((6*7))");
    await until(() => b.app.cluster!.source.fullUpdate(`beta/${paneB}`)?.delta.kind === "full" && (b.app.cluster!.source.fullUpdate(`beta/${paneB}`)!.delta as { lines: string[] }).lines.some((l) => l.includes("away-42")), "beta's new output");
    await until(() => (a.app.cluster!.source.fullUpdate(`beta/${paneB}`)?.seq ?? 0) === b.app.cluster!.source.fullUpdate(`beta/${paneB}`)!.seq, "the same seq for beta's pane on alpha");

    const again = await client(b.url, { token: admin });
    expect((await again.hello).epoch).toBe(hello.epoch);
    const resumed = await again.emitWithAck("subscribe", { have: { epoch: hello.epoch, seqs } });
    if (!("data" in resumed)) throw new Error(resumed.error.code);
    const byPane = new Map<string, PaneUpdate[]>();
    for (const u of resumed.data.updates) byPane.set(u.pane, [...(byPane.get(u.pane) ?? []), u]);
    expect(byPane.get(`alpha/${paneA}`) ?? []).toEqual([]);
    const deltas = byPane.get(`beta/${paneB}`) ?? [];
    expect(deltas.length).toBeGreaterThan(0);
    expect(deltas[0]!.base).toBe(seqs[`beta/${paneB}`]);
    expect(deltas.every((u) => u.delta.kind === "diff")).toBe(true);
    again.disconnect();
  });
});
