import { execFile } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PanecastApp } from "../../lib/app.ts";
import { statePath } from "../../lib/config.ts";
import type { Ack } from "../../lib/protocol.ts";
import { startWithAuth } from "../helpers/auth.ts";
import { client, startPanecast, type TestClient } from "../helpers/server.ts";
import { TestTmux, until } from "../helpers/tmux.ts";

const run = promisify(execFile);
const tmux = new TestTmux();
let app: PanecastApp;
let url: string;
let tokensFile: string;
let auditFile: string;
let pane: string;
const open: Array<{ close(): void }> = [];

beforeAll(async () => {
  pane = await tmux.newSession("work");
  const s = await startWithAuth(tmux);
  ({ app, url } = s);
  tokensFile = s.tokens;
  auditFile = s.audit;
  await until(() => app.tracker.frame(pane), "the pane tracked");
});

afterAll(async () => {
  for (const c of open) c.close();
  await app?.close();
  await tmux.kill();
});

const json = { "content-type": "application/json" };

/** Each login cookie's page key, as the sign-in answer handed it to the page. */
const pageKeys = new Map<string, string>();

async function login(token: string): Promise<string> {
  const r = await fetch(`${url}/api/login`, { method: "POST", headers: json, body: JSON.stringify({ token }) });
  expect(r.status).toBe(200);
  const cookie = r.headers.get("set-cookie")!.split(";")[0]!;
  pageKeys.set(cookie, ((await r.json()) as { data: { pageKey: string } }).data.pageKey);
  return cookie;
}

/** A socket.io client presenting a cookie and the page key (as the browser does), resolved once greeted. */
async function cookieSocket(cookie: string) {
  const s = io(url, { transports: ["websocket"], extraHeaders: { cookie }, auth: { page: pageKeys.get(cookie) }, reconnection: false, forceNew: true });
  open.push(s);
  await new Promise<void>((resolve, reject) => {
    s.once("hello", () => resolve());
    s.once("connect_error", reject);
  });
  return s;
}

function refusedSocket(opts: { cookie?: string; token?: string }): Promise<string> {
  const s = io(url, {
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
    ...(opts.cookie ? { extraHeaders: { cookie: opts.cookie }, auth: { page: pageKeys.get(opts.cookie) } } : {}),
    ...(opts.token ? { auth: { token: opts.token } } : {}),
  });
  open.push(s);
  return new Promise((resolve) => {
    s.once("connect", () => resolve("connected"));
    s.once("connect_error", (e: Error & { data?: { code?: string } }) => resolve(e.data?.code ?? e.message));
  });
}

const me = async (cookie: string) => (await fetch(`${url}/api/me`, { headers: { cookie } })).status;
const cli = (...args: string[]) =>
  run(process.execPath, [path.resolve("bin/panecast.js"), "token", ...args], {
    // The server keeps its state beside its token file (no data_dir set): the CLI must use the same directory.
    env: { ...process.env, PANECAST_TOKENS: tokensFile, PANECAST_DATA_DIR: path.dirname(tokensFile), PANECAST_AUDIT: auditFile, PANECAST_CONFIG: "" },
  });

describe("live sockets end with their token", () => {
  it("a socket is disconnected when its token expires, and the token is refused after", async () => {
    const { token } = app.auth.tokens!.create({ name: "short", role: "operator", expiresInMs: 2000 });
    const c = await client(url, { token });
    open.push(c);
    const told = new Promise<{ code: string }>((resolve) => c.once("server:error", resolve));
    await new Promise<void>((resolve) => c.once("disconnect", () => resolve()));
    expect(await told).toMatchObject({ code: "UNAUTHORIZED" });
    expect((await fetch(`${url}/api/sessions`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    expect(await refusedSocket({ token })).toBe("UNAUTHORIZED");
  });

  it("a privileged action after expiry is refused even if the socket's timer has not fired yet", async () => {
    const { token } = app.auth.tokens!.create({ name: "late-timer", role: "admin", expiresInMs: 3_600_000 });
    const c = await client(url, { token });
    open.push(c);
    const hello = await c.hello;
    const server = [...app.io.of("/").sockets.values()].find((s) => s.data.principal.name === hello.principal.name)!;
    // What a socket looks like between its token's expiry and its timer (an event loop that was busy).
    server.data.principal = { ...server.data.principal, expiresAt: Date.now() - 1 };
    expect(await c.emitWithAck("pane:send", { pane, keys: ["BSpace"] })).toMatchObject({ error: { code: "UNAUTHORIZED" } });
    expect(await (c as unknown as { emitWithAck(e: string, p: unknown): Promise<Ack<unknown>> }).emitWithAck("token:list", {})).toMatchObject({
      error: { code: "UNAUTHORIZED" },
    });
  });
});

describe("logout ends the session on the server", () => {
  it("a copy of the cookie stops working, and sockets opened with it are disconnected; other sessions stay", async () => {
    const { token } = app.auth.tokens!.create({ name: "browser-user", role: "viewer" });
    const cookie = await login(token);
    const other = await login(token);
    expect(cookie).toMatch(/^panecast_session=[0-9a-f]{8}\.[0-9a-f]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    const s = await cookieSocket(cookie);
    const kept = await cookieSocket(other);
    const gone = new Promise<void>((resolve) => s.once("disconnect", () => resolve()));
    const out = await fetch(`${url}/api/logout`, { method: "POST", headers: { cookie } });
    expect(out.headers.get("set-cookie")).toContain("Max-Age=0");
    await gone;
    expect(await me(cookie)).toBe(401);
    expect((await fetch(`${url}/`, { headers: { cookie }, redirect: "manual" })).status).toBe(303);
    expect(await refusedSocket({ cookie })).toBe("UNAUTHORIZED");
    expect(await me(other)).toBe(200);
    expect(kept.connected).toBe(true);
  });

  it("a login cookie lasts auth.session_ttl (default 7 days)", async () => {
    const r = await fetch(`${url}/api/login`, { method: "POST", headers: json, body: JSON.stringify({ token: app.bootstrapToken }) });
    expect(r.headers.get("set-cookie")).toContain(`Max-Age=${7 * 86_400}`);
  });
});

describe("login sessions outlive a restart", () => {
  it("a cookie keeps working on the restarted server, and logout there still ends it", async () => {
    const t = new TestTmux();
    await t.newSession("p");
    const first = await startWithAuth(t);
    let second: { app: PanecastApp; url: string } | null = null;
    try {
      const r = await fetch(`${first.url}/api/login`, { method: "POST", headers: json, body: JSON.stringify({ token: first.app.bootstrapToken }) });
      const cookie = r.headers.get("set-cookie")!.split(";")[0]!;
      await first.app.close();
      second = await startPanecast(t, [], { PANECAST_AUTH: "on", PANECAST_TOKENS: first.tokens, PANECAST_AUDIT: first.audit });
      expect((await fetch(`${second.url}/api/me`, { headers: { cookie } })).status).toBe(200);
      await fetch(`${second.url}/api/logout`, { method: "POST", headers: { cookie } });
      expect((await fetch(`${second.url}/api/me`, { headers: { cookie } })).status).toBe(401);
    } finally {
      await first.app.close();
      await second?.app.close();
      await t.kill();
    }
  });
});

describe("the cookie-signing key", () => {
  it("lives in a 0600 file of its own, and the token file holds no key", () => {
    const keyFile = statePath(path.dirname(tokensFile), "session.key");
    expect(path.dirname(keyFile)).toBe(path.dirname(tokensFile));
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(keyFile, "utf8").trim()).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(tokensFile, "utf8")).not.toContain("sessionKey");
  });

  it("`panecast token rotate-key` ends every session: cookies fail and cookie sockets close; tokens keep working", async () => {
    const { token } = app.auth.tokens!.create({ name: "rotated-user", role: "viewer" });
    const cookie = await login(token);
    const s = await cookieSocket(cookie);
    const bearerSocket = await client(url, { token });
    open.push(bearerSocket);
    const before = readFileSync(statePath(path.dirname(tokensFile), "session.key"), "utf8");
    const gone = new Promise<void>((resolve) => s.once("disconnect", () => resolve()));
    const { stderr } = await cli("rotate-key");
    expect(stderr).toMatch(/rotated the session key/);
    await gone;
    expect(readFileSync(statePath(path.dirname(tokensFile), "session.key"), "utf8")).not.toBe(before);
    expect(statSync(statePath(path.dirname(tokensFile), "session.key")).mode & 0o777).toBe(0o600);
    expect(await me(cookie)).toBe(401);
    expect(bearerSocket.connected).toBe(true);
    expect(await me(await login(token))).toBe(200);
    await app.auth.audit.flush();
    expect(readFileSync(auditFile, "utf8")).toContain('"event":"key.rotate"');
  });
});

describe("credential attempts are counted before they are checked", () => {
  async function limited(perMinute: number) {
    const t = new TestTmux();
    await t.newSession("p");
    const s = await startWithAuth(t, `auth:\n  login_failures_per_minute: ${perMinute}\n`);
    return {
      ...s,
      async close() {
        await s.app.close();
        await t.kill();
      },
    };
  }
  const wrong = `pc_${"0".repeat(16)}_${"B".repeat(43)}`;

  it("a parallel burst of 40 wrong logins gets exactly the limit through; the rest are 429", async () => {
    const s = await limited(5);
    try {
      const codes = await Promise.all(
        Array.from({ length: 40 }, () => fetch(`${s.url}/api/login`, { method: "POST", headers: json, body: JSON.stringify({ token: wrong }) }).then((r) => r.status)),
      );
      expect(codes.filter((c) => c === 401)).toHaveLength(5);
      expect(codes.filter((c) => c === 429)).toHaveLength(35);
    } finally {
      await s.close();
    }
  });

  it("wrong bearer tokens and forged cookies draw on the same bucket; over it, wrong ones are refused and a right token still passes", async () => {
    const s = await limited(3);
    try {
      const bearer = (t: string) => fetch(`${s.url}/api/sessions`, { headers: { authorization: `Bearer ${t}` } }).then((r) => r.status);
      // Cookies that could never pass (another key's, an old format) are stale, not guesses.
      for (let i = 0; i < 6; i++) {
        const stale = `panecast_session=ffffffff.${"0".repeat(16)}.${"A".repeat(22)}.${"m".repeat(43)}`;
        expect((await fetch(`${s.url}/api/me`, { headers: { cookie: stale } })).status).toBe(401);
      }
      expect(await bearer(s.app.bootstrapToken!)).toBe(200);
      expect(await bearer(wrong)).toBe(401);
      const forged = `panecast_session=${s.app.auth.key!.id}.${"0".repeat(16)}.${"A".repeat(22)}.${"m".repeat(43)}`;
      expect((await fetch(`${s.url}/api/me`, { headers: { cookie: forged } })).status).toBe(401);
      expect(await bearer(wrong)).toBe(401);
      expect(await bearer(wrong)).toBe(429);
      // Others' failures from this address (shared, or a forged X-Forwarded-For) never lock out a valid token.
      expect(await bearer(s.app.bootstrapToken!)).toBe(200);
      const login = await fetch(`${s.url}/api/login`, { method: "POST", headers: json, body: JSON.stringify({ token: s.app.bootstrapToken }) });
      expect(login.status).toBe(200);
      const c = await client(s.url, { token: s.app.bootstrapToken! });
      expect(c.connected).toBe(true);
      c.close();
      expect(await bearer(wrong)).toBe(429);
      const wrongLogin = await fetch(`${s.url}/api/login`, { method: "POST", headers: json, body: JSON.stringify({ token: wrong }) });
      expect(wrongLogin.status).toBe(429);
      await expect(client(s.url, { token: wrong })).rejects.toMatchObject({ data: { code: "RATE_LIMITED" } });
    } finally {
      await s.close();
    }
  });

  it("refused attempts are audited as at most one line per address a minute, with a count", async () => {
    const s = await limited(3);
    try {
      await Promise.all(Array.from({ length: 20 }, () => fetch(`${s.url}/api/sessions`, { headers: { authorization: `Bearer ${wrong}` } })));
      await s.app.auth.audit.flush();
      const lines = () =>
        readFileSync(s.audit, "utf8")
          .trim()
          .split("\n")
          .map((l) => JSON.parse(l) as { event: string; remote?: string; count?: number; detail?: string })
          .filter((l) => l.event === "login.failed");
      expect(lines()).toEqual([expect.objectContaining({ remote: "127.0.0.1", count: 1, detail: "via=bearer" })]);
    } finally {
      await s.close();
    }
    // What the minute gathered is written when it ends (here: at shutdown), as one line.
    const all = readFileSync(s.audit, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { event: string; count?: number })
      .filter((l) => l.event === "login.failed");
    expect(all.map((l) => l.count)).toEqual([1, 19]);
  });
});
