import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PanecastApp } from "../../lib/app.ts";
import type { Ack, PaneUpdate, Role } from "../../lib/protocol.ts";
import { startWithAuth } from "../helpers/auth.ts";
import { client, type TestClient } from "../helpers/server.ts";
import { freshName, TestTmux, until } from "../helpers/tmux.ts";

const run = promisify(execFile);
const tmux = new TestTmux();
let app: PanecastApp;
let url: string;
let tokensFile: string;
let auditFile: string;
let alpha: string;
let secret: string;
const tokens: Record<Role, string> = { viewer: "", operator: "", admin: "", agent: "" };
let limited = "";
const open: TestClient[] = [];

beforeAll(async () => {
  alpha = await tmux.newSession("alpha");
  secret = await tmux.newSession("secret");
  const s = await startWithAuth(tmux, "limits:\n  max_connections_per_ip: 40\n");
  ({ app, url } = s);
  tokensFile = s.tokens;
  auditFile = s.audit;
  expect(app.bootstrapToken).toMatch(/^pc_/);
  tokens.admin = app.bootstrapToken!;
  tokens.viewer = app.auth.tokens!.create({ name: "viewer", role: "viewer" }).token;
  tokens.operator = app.auth.tokens!.create({ name: "operator", role: "operator" }).token;
  limited = app.auth.tokens!.create({ name: "alpha-only", role: "operator", sessions: ["alph*"] }).token;
  await until(() => app.tracker.frame(alpha) && app.tracker.frame(secret), "both panes tracked");
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

const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
type Raw = { emitWithAck(e: string, p: unknown): Promise<Ack<unknown>> };

describe("every role against every action, enforced by the server", () => {
  const actions: Array<{ name: string; needs: Role; run: (c: TestClient, token: string) => Promise<boolean> }> = [
    { name: "GET /api/sessions", needs: "viewer", run: async (_c, t) => (await fetch(`${url}/api/sessions`, { headers: bearer(t) })).ok },
    { name: "subscribe", needs: "viewer", run: async (c) => "data" in (await c.emitWithAck("subscribe", {})) },
    { name: "pane:history", needs: "viewer", run: async (c) => "data" in (await c.emitWithAck("pane:history", { pane: alpha, lines: 10 })) },
    { name: "doc:subscribe", needs: "viewer", run: async (c) => "data" in (await c.emitWithAck("doc:subscribe", { name: "history" })) },
    { name: "pane:send", needs: "operator", run: async (c) => "data" in (await c.emitWithAck("pane:send", { pane: alpha, keys: ["BSpace"] })) },
    { name: "token:list", needs: "admin", run: async (c) => "data" in (await c.emitWithAck("token:list", {})) },
    {
      name: "token:create",
      needs: "admin",
      run: async (c) => "data" in (await c.emitWithAck("token:create", { name: `t${Math.random().toString(36).slice(2, 8)}`, role: "viewer" })),
    },
    {
      name: "token:revoke",
      needs: "admin",
      run: async (c) => {
        const victim = `v${Math.random().toString(36).slice(2, 8)}`;
        app.auth.tokens!.create({ name: victim, role: "viewer" });
        const r = await c.emitWithAck("token:revoke", { name: victim });
        return "data" in r && r.data.revoked;
      },
    },
  ];
  const rank: Record<Role, number> = { agent: -1, viewer: 0, operator: 1, admin: 2 };

  for (const role of ["viewer", "operator", "admin"] as Role[]) {
    for (const a of actions) {
      const allowed = rank[role] >= rank[a.needs];
      it(`${role} ${allowed ? "may" : "may not"} ${a.name}`, async () => {
        const c = await as(tokens[role]);
        expect(await a.run(c, tokens[role])).toBe(allowed);
      });
    }
  }

  it("refusals carry FORBIDDEN", async () => {
    const c = await as(tokens.viewer);
    expect(await c.emitWithAck("pane:send", { pane: alpha, text: "x" })).toMatchObject({ error: { code: "FORBIDDEN" } });
    expect(await (c as unknown as Raw).emitWithAck("token:list", {})).toMatchObject({ error: { code: "FORBIDDEN" } });
  });

  it("without a token: 401 on the API, refused sockets, pages sent to /login", async () => {
    const r = await fetch(`${url}/api/sessions`);
    expect(r.status).toBe(401);
    expect(await r.json()).toMatchObject({ error: { code: "UNAUTHORIZED" } });
    expect((await fetch(`${url}/api/sessions`, { headers: bearer("pc_0000000000000000_" + "A".repeat(43)) })).status).toBe(401);
    await expect(client(url)).rejects.toMatchObject({ data: { code: "UNAUTHORIZED" } });
    const page = await fetch(`${url}/dashboard/dashboard?view=raw`, { redirect: "manual" });
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toBe("/login?next=%2Fdashboard%2Fdashboard%3Fview%3Draw");
    expect((await fetch(`${url}/api/healthz`)).status).toBe(200);
  });
});

describe("a token limited to some sessions", () => {
  it("sees nothing of the others: not their names, content or events", async () => {
    const c = await as(limited);
    const got: PaneUpdate[] = [];
    c.pushes.on("pane:updated", (u) => got.push(u));
    const r = await c.emitWithAck("subscribe", {});
    if (!("data" in r)) throw new Error("subscribe failed");
    expect(r.data.topology.sessions.map((s) => s.name)).toEqual(["alpha"]);
    expect(r.data.updates.map((u) => u.pane)).toEqual([alpha]);
    expect(JSON.stringify(r.data)).not.toContain("secret");
    await tmux.type(secret, "echo hidden-from-limited");
    await tmux.type(alpha, "echo visible-to-limited");
    await until(() => got.some((u) => JSON.stringify(u.delta).includes("visible-to-limited")), "the alpha update");
    expect(got.every((u) => u.pane === alpha)).toBe(true);
    for (const [event, payload] of [
      ["pane:history", { pane: secret }],
      ["pane:resync", { pane: secret }],
      ["pane:send", { pane: secret, text: "nope" }],
    ] as const) {
      expect(await (c as unknown as Raw).emitWithAck(event, payload)).toMatchObject({ error: { code: "PANE_NOT_FOUND" } });
    }
    const other = await c.emitWithAck("subscribe", { filter: { sessions: ["secret"] } });
    expect(other).toMatchObject({ data: { topology: { sessions: [] }, updates: [] } });
    const api = (await (await fetch(`${url}/api/sessions`, { headers: bearer(limited) })).json()) as { sessions: Array<{ name: string }> };
    expect(api.sessions.map((s) => s.name)).toEqual(["alpha"]);
  });

  it("is not told when other sessions come and go", async () => {
    const c = await as(limited);
    await c.emitWithAck("subscribe", {});
    const topologies: string[] = [];
    c.pushes.on("topology:updated", (t) => topologies.push(JSON.stringify(t)));
    // Fresh names on every try (a retry must not meet the first try's sessions).
    const alpha2 = freshName("alpha2");
    await tmux.newSession(freshName("secret2"));
    await tmux.newSession(alpha2);
    await until(() => topologies.some((t) => t.includes(alpha2)), "alpha2 announced");
    expect(topologies.join("")).not.toContain("secret");
  });
});

describe("revocation", () => {
  it("`panecast token revoke` disconnects that token's live sockets", async () => {
    const name = freshName("soon-gone");
    const t = app.auth.tokens!.create({ name, role: "viewer" }).token;
    const c = await as(t);
    const gone = new Promise<void>((resolve) => c.once("disconnect", () => resolve()));
    await run(process.execPath, [path.resolve("bin/panecast.js"), "token", "revoke", name], {
      env: { ...process.env, PANECAST_TOKENS: tokensFile, PANECAST_AUDIT: auditFile, PANECAST_CONFIG: "" },
    });
    await gone;
    expect((await fetch(`${url}/api/sessions`, { headers: bearer(t) })).status).toBe(401);
  });
});

describe("login", () => {
  it("trades a token for an httpOnly, SameSite=Strict cookie that works for HTTP and sockets", async () => {
    const r = await fetch(`${url}/api/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token: tokens.viewer }) });
    expect(r.status).toBe(200);
    const cookie = r.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^panecast_session=[^;]+; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Strict$/);
    const value = cookie.split(";")[0]!;
    expect((await fetch(`${url}/api/me`, { headers: { cookie: value } })).status).toBe(200);
    const { pageKey } = ((await r.json()) as { data: { pageKey: string } }).data;
    expect(pageKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const { io } = await import("socket.io-client");
    const s = io(url, { transports: ["websocket"], extraHeaders: { cookie: value }, auth: { page: pageKey }, reconnection: false, forceNew: true });
    open.push(s as unknown as TestClient);
    const hello = await new Promise<{ principal: { name: string } }>((resolve) => s.once("hello", resolve));
    expect(hello.principal.name).toBe("viewer");
    const out = await fetch(`${url}/api/logout`, { method: "POST", headers: { cookie: value } });
    expect(out.headers.get("set-cookie")).toContain("Max-Age=0");
  });

  it("a cookie replayed without the page's key (another port on this host got it) opens no socket and changes nothing", async () => {
    const r = await fetch(`${url}/api/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token: tokens.operator }) });
    const cookie = r.headers.get("set-cookie")!.split(";")[0]!;
    const { pageKey } = ((await r.json()) as { data: { pageKey: string } }).data;
    const { io } = await import("socket.io-client");
    const attempt = (auth: Record<string, string>) =>
      new Promise<string>((resolve) => {
        const s = io(url, { transports: ["websocket"], extraHeaders: { cookie }, auth, reconnection: false, forceNew: true });
        open.push(s as unknown as TestClient);
        s.once("hello", () => resolve("greeted"));
        s.once("connect_error", (e: Error & { data?: { code?: string } }) => resolve(e.data?.code ?? e.message));
      });
    expect(await attempt({})).toBe("UNAUTHORIZED");
    expect(await attempt({ page: "A".repeat(43) })).toBe("UNAUTHORIZED");
    expect(await attempt({ page: pageKey })).toBe("greeted");
    // A state-changing route: refused without the key, taken with it.
    const sub = { endpoint: "https://push.invalid/x", keys: { p256dh: "a", auth: "b" } };
    const del = (headers: Record<string, string>) =>
      fetch(`${url}/api/push/subscriptions`, { method: "DELETE", headers: { cookie, "content-type": "application/json", ...headers }, body: JSON.stringify({ endpoint: sub.endpoint }) });
    const refused = await del({});
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: "FORBIDDEN" } });
    expect((await del({ "x-panecast-page": pageKey })).status).not.toBe(403);
  });

  it("hands a form sign-in its page key in the redirect's fragment only", async () => {
    const body = new URLSearchParams({ token: tokens.viewer, next: "/" });
    const r = await fetch(`${url}/api/login`, { method: "POST", body, redirect: "manual" });
    expect(r.headers.get("location")).toMatch(/^\/#page=[A-Za-z0-9_-]{43}$/);
  });

  it("a plain HTML form logs in and redirects to a local page only", async () => {
    const body = new URLSearchParams({ token: tokens.viewer, next: "/history" });
    const r = await fetch(`${url}/api/login`, { method: "POST", body, redirect: "manual" });
    expect(r.status).toBe(303);
    expect(r.headers.get("location")).toMatch(/^\/history#page=[A-Za-z0-9_-]{43}$/);
    const evil = await fetch(`${url}/api/login`, { method: "POST", body: new URLSearchParams({ token: tokens.viewer, next: "//evil.example/" }), redirect: "manual" });
    expect(evil.headers.get("location")).toMatch(/^\/#page=/);
  });

  it("names the cookie __Host- (Secure, Path=/) behind a trusted TLS proxy, and reads only that name there", async () => {
    const { startWithAuth: start } = await import("../helpers/auth.ts");
    const t2 = new TestTmux();
    await t2.newSession("p");
    const s = await start(t2, "server:\n  trust_proxy: [127.0.0.1/32]\n  public_url: https://dash.example\n");
    try {
      const r = await fetch(`${s.url}/api/login`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-proto": "https", "x-forwarded-host": "dash.example", origin: "https://dash.example" },
        body: JSON.stringify({ token: s.app.bootstrapToken }),
      });
      const set = r.headers.get("set-cookie")!;
      expect(set).toMatch(/^__Host-panecast_session=[^;]+; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Strict; Secure$/);
      expect(r.headers.get("strict-transport-security")).toBe("max-age=31536000");
      const value = set.split(";")[0]!.split("=")[1]!;
      const me = (cookie: string) => fetch(`${s.url}/api/me`, { headers: { cookie, "x-forwarded-proto": "https", "x-forwarded-host": "dash.example" } });
      expect((await me(`__Host-panecast_session=${value}`)).status).toBe(200);
      // The same value under the plain name (which any page of the host could set) is not read over TLS.
      expect((await me(`panecast_session=${value}`)).status).toBe(401);
    } finally {
      await s.app.close();
      await t2.kill();
    }
  });

  it("rate limits wrong tokens per address, and lets a right one through afterwards", async () => {
    const t2 = new TestTmux();
    await t2.newSession("p");
    const { startWithAuth: start } = await import("../helpers/auth.ts");
    const s = await start(t2, "auth:\n  login_failures_per_minute: 3\n");
    try {
      const login = (token: string) => fetch(`${s.url}/api/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token }) });
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) codes.push((await login(`pc_${"0".repeat(16)}_${"B".repeat(43)}`)).status);
      expect(codes).toEqual([401, 401, 401, 429, 429]);
      expect((await login(s.app.bootstrapToken!)).status).toBe(200);
      await expect(client(s.url, { token: "wrong" })).rejects.toMatchObject({ data: { code: "RATE_LIMITED" } });
    } finally {
      await s.app.close();
      await t2.kill();
    }
  });
});

describe("logins per token", () => {
  it("refuses a valid token's logins past auth.logins_per_token_per_minute with RATE_LIMITED, audited once per minute, other tokens unaffected", async () => {
    const t2 = new TestTmux();
    await t2.newSession("p");
    // One a minute: a refused login stays refused for the whole test, however slow the machine.
    const s = await startWithAuth(t2, "auth:\n  logins_per_token_per_minute: 1\n");
    try {
      const name = freshName("busy");
      const busy = s.app.auth.tokens!.create({ name, role: "viewer" }).token;
      const login = (token: string) => fetch(`${s.url}/api/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token }) });
      const codes: number[] = [];
      for (let i = 0; i < 4; i++) codes.push((await login(busy)).status);
      expect(codes).toEqual([200, 429, 429, 429]);
      const refused = await login(busy);
      expect(await refused.json()).toMatchObject({ error: { code: "RATE_LIMITED" } });
      expect((await login(s.app.bootstrapToken!)).status).toBe(200);
      // A form sign-in is sent back to the login page with the reason, not given a session.
      const form = await fetch(`${s.url}/api/login`, { method: "POST", body: new URLSearchParams({ token: busy }), redirect: "manual" });
      expect(form.headers.get("location")).toBe("/login?error=logins");
      s.app.auth.stop();
      await s.app.auth.audit.flush();
      const lines = readFileSync(s.audit, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.filter((l) => l.event === "login" && l.token === name)).toHaveLength(1);
      // The first refusal at once, the other four summed at the end of the minute (here: at stop).
      expect(lines.filter((l) => l.event === "login.limited").map((l) => [l.token, l.count])).toEqual([
        [name, 1],
        [name, 4],
      ]);
    } finally {
      await s.app.close();
      await t2.kill();
    }
  });

  it("holds auth.max_sessions_per_token sessions: a new login ends that token's least recently used one and closes its socket", async () => {
    const t2 = new TestTmux();
    await t2.newSession("p");
    const s = await startWithAuth(t2, "auth:\n  max_sessions_per_token: 2\n");
    const sockets: Array<{ disconnect(): void }> = [];
    try {
      const token = s.app.auth.tokens!.create({ name: freshName("cap"), role: "viewer" }).token;
      const login = async () => {
        const r = await fetch(`${s.url}/api/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token }) });
        expect(r.status).toBe(200);
        return { cookie: r.headers.get("set-cookie")!.split(";")[0]!, pageKey: ((await r.json()) as { data: { pageKey: string } }).data.pageKey };
      };
      const me = (cookie: string) => fetch(`${s.url}/api/me`, { headers: { cookie } }).then((r) => r.status);
      const adminCookie = await (async () => {
        const r = await fetch(`${s.url}/api/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token: s.app.bootstrapToken }) });
        return r.headers.get("set-cookie")!.split(";")[0]!;
      })();
      const first = await login();
      const { io } = await import("socket.io-client");
      const sock = io(s.url, { transports: ["websocket"], extraHeaders: { cookie: first.cookie }, auth: { page: first.pageKey }, reconnection: false, forceNew: true });
      sockets.push(sock);
      const dropped = new Promise<string>((resolve) => sock.on("server:error", (e: { message: string }) => resolve(e.message)));
      await new Promise((resolve) => sock.once("hello", resolve));
      const second = await login();
      expect(await me(second.cookie)).toBe(200); // the first is now the least recently used
      const third = await login();
      expect(await dropped).toBe("signed out");
      expect(await me(first.cookie)).toBe(401);
      expect([await me(second.cookie), await me(third.cookie), await me(adminCookie)]).toEqual([200, 200, 200]);
    } finally {
      for (const x of sockets) x.disconnect();
      await s.app.close();
      await t2.kill();
    }
  });
});

describe("cross-origin and limits", () => {
  it("refuses a foreign Origin for sockets (no hijacking) and for state-changing requests", async () => {
    await expect(client(url, { token: tokens.admin, origin: "https://evil.example" })).rejects.toThrow();
    const r = await fetch(`${url}/api/login`, { method: "POST", headers: { origin: "https://evil.example", "content-type": "application/json" }, body: JSON.stringify({ token: tokens.admin }) });
    expect(r.status).toBe(403);
    expect(await r.json()).toMatchObject({ error: { code: "ORIGIN_REFUSED" } });
    const same = await client(url, { token: tokens.viewer, origin: new URL(url).origin });
    open.push(same);
    expect(same.connected).toBe(true);
  });

  it("sends the security headers", async () => {
    const r = await fetch(`${url}/api/healthz`);
    expect(r.headers.get("content-security-policy")).toMatch(/default-src 'self'.*script-src 'self' 'nonce-[^']+' 'strict-dynamic'.*frame-ancestors 'none'/);
    expect(r.headers.get("x-content-type-options")).toBe("nosniff");
    expect(r.headers.get("x-frame-options")).toBe("DENY");
    expect(r.headers.get("referrer-policy")).toBe("same-origin");
  });

  it("answers a client over its message rate with RATE_LIMITED and keeps it connected", async () => {
    const t2 = new TestTmux();
    await t2.newSession("p");
    const { startWithAuth: start } = await import("../helpers/auth.ts");
    const s = await start(t2, "limits:\n  messages_per_second: 1\n  messages_burst: 3\n  max_connections_per_ip: 2\n");
    try {
      const c = await client(s.url, { token: s.app.bootstrapToken! });
      const codes: string[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await c.emitWithAck("topology:get", {});
        codes.push("error" in r ? r.error.code : "ok");
      }
      expect(codes).toEqual(["ok", "ok", "ok", "RATE_LIMITED", "RATE_LIMITED"]);
      expect(c.connected).toBe(true);
      const second = await client(s.url, { token: s.app.bootstrapToken! });
      await expect(client(s.url, { token: s.app.bootstrapToken! })).rejects.toMatchObject({ data: { code: "RATE_LIMITED" } });
      c.close();
      second.close();
    } finally {
      await s.app.close();
      await t2.kill();
    }
  });
});

describe("audit log", () => {
  it("records sends, logins and failed logins, without the text unless asked", async () => {
    const op = await as(tokens.operator);
    const r = await op.emitWithAck("pane:send", { pane: alpha, text: "echo audited-secret-text" });
    expect(r).toMatchObject({ data: { verified: true } });
    await fetch(`${url}/api/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token: "nope" }) });
    await app.auth.audit.flush();
    const lines = readFileSync(auditFile, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    const send = lines.find((l) => l.event === "send" && l.token === "operator" && l.bytes === "echo audited-secret-text".length);
    expect(send).toMatchObject({ role: "operator", target: alpha, outcome: "delivered", remote: "127.0.0.1" });
    expect(typeof send!.time).toBe("string");
    expect(JSON.stringify(lines)).not.toContain("audited-secret-text");
    expect(lines.some((l) => l.event === "login.failed" && l.remote === "127.0.0.1")).toBe(true);
    expect(lines.some((l) => l.event === "token.create" && l.token === "admin")).toBe(true);
    await tmux.tmux("send-keys", "-t", alpha, "C-u");
  });
});
