import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PanecastApp } from "../../lib/app.ts";
import type { Ack, TokenInfoPayload } from "../../lib/protocol.ts";
import { startWithAuth } from "../helpers/auth.ts";
import { client, type TestClient } from "../helpers/server.ts";
import { freshName, TestTmux, until } from "../helpers/tmux.ts";

const run = promisify(execFile);
const tmux = new TestTmux();
let app: PanecastApp;
let url: string;
let tokensFile: string;
let auditFile: string;
let shogun: string;
let other: string;
let limitedAdmin: TestClient;
const open: TestClient[] = [];

beforeAll(async () => {
  shogun = await tmux.newSession("shogun");
  other = await tmux.newSession("other");
  const s = await startWithAuth(tmux);
  ({ app, url } = s);
  tokensFile = s.tokens;
  auditFile = s.audit;
  await until(() => app.tracker.frame(shogun) && app.tracker.frame(other), "both panes tracked");
  const t = app.auth.tokens!.create({ name: "shogun-admin", role: "admin", sessions: ["shogun"] }).token;
  limitedAdmin = await as(t);
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

type Raw = { emitWithAck(e: string, p: unknown): Promise<Ack<unknown>> };
const raw = (c: TestClient) => c as unknown as Raw;
let n = 0;
const fresh = () => `shogun-admin.t${++n}`;

describe("an admin limited to some sessions stays inside them", () => {
  it.each([
    ["an unlimited admin", { role: "admin" }],
    ["an unlimited viewer", { role: "viewer" }],
    ["an empty session list (all sessions)", { role: "operator", sessions: [] }],
    ["a wider glob of its session", { role: "operator", sessions: ["shogun*"] }],
    ["every session", { role: "viewer", sessions: ["*"] }],
    ["a one-character glob", { role: "viewer", sessions: ["shogu?"] }],
    ["its session and another", { role: "operator", sessions: ["shogun", "other"] }],
    ["another session", { role: "admin", sessions: ["other"] }],
  ])("may not create %s", async (_what, req) => {
    const name = fresh();
    const r = await raw(limitedAdmin).emitWithAck("token:create", { name, ...req });
    expect(r).toMatchObject({ error: { code: "FORBIDDEN" } });
    expect(app.auth.tokens!.list().some((t) => t.name === name)).toBe(false);
  });

  it("may create tokens of its role or less within its sessions, which then reach only those", async () => {
    const r = await limitedAdmin.emitWithAck("token:create", { name: fresh(), role: "operator", sessions: ["shogun"] });
    if (!("data" in r)) throw new Error(JSON.stringify(r));
    expect(r.data.info).toMatchObject({ role: "operator", sessions: ["shogun"] });
    const op = await as(r.data.token);
    expect(await op.emitWithAck("pane:send", { pane: other, keys: ["BSpace"] })).toMatchObject({ error: { code: "PANE_NOT_FOUND" } });
    expect(await op.emitWithAck("pane:send", { pane: shogun, keys: ["BSpace"] })).toMatchObject({ data: {} });
    const again = await limitedAdmin.emitWithAck("token:create", { name: fresh(), role: "admin", sessions: ["shogun"] });
    expect(again).toMatchObject({ data: { info: { role: "admin", sessions: ["shogun"] } } });
  });

  it("lists only tokens within its sessions", async () => {
    app.auth.tokens!.create({ name: "other-viewer", role: "viewer", sessions: ["other"] });
    app.auth.tokens!.create({ name: "shogun-viewer", role: "viewer", sessions: ["shogun"] });
    const r = await limitedAdmin.emitWithAck("token:list", {});
    if (!("data" in r)) throw new Error(JSON.stringify(r));
    const names = r.data.map((t: TokenInfoPayload) => t.name);
    expect(names).toContain("shogun-viewer");
    expect(names).toContain("shogun-admin");
    expect(names).not.toContain("other-viewer");
    expect(names).not.toContain("admin");
    expect(r.data.every((t: TokenInfoPayload) => t.sessions !== null && t.sessions.every((s) => s === "shogun"))).toBe(true);
  });

  it("may not revoke a token outside its sessions (answered as if it did not exist), but may revoke one inside", async () => {
    app.auth.tokens!.create({ name: "wide-viewer", role: "viewer", sessions: ["shogun*"] });
    for (const name of ["admin", "other-viewer", "wide-viewer"]) {
      expect(await limitedAdmin.emitWithAck("token:revoke", { name })).toEqual({ data: { revoked: false } });
      expect(app.auth.tokens!.list().some((t) => t.name === name)).toBe(true);
    }
    app.auth.tokens!.create({ name: "shogun-temp", role: "viewer", sessions: ["shogun"] });
    expect(await limitedAdmin.emitWithAck("token:revoke", { name: "shogun-temp" })).toEqual({ data: { revoked: true } });
  });

  it("answers a name outside its reach alike whether a token has it or not, and names its own tokens under its name", async () => {
    app.auth.tokens!.create({ name: "hidden-viewer", role: "viewer", sessions: ["other"] });
    const taken = await raw(limitedAdmin).emitWithAck("token:create", { name: "hidden-viewer", role: "viewer", sessions: ["shogun"] });
    const missing = await raw(limitedAdmin).emitWithAck("token:create", { name: "no-such-token", role: "viewer", sessions: ["shogun"] });
    expect(taken).toMatchObject({ error: { code: "FORBIDDEN" } });
    expect(taken).toEqual(JSON.parse(JSON.stringify(missing).replace("no-such-token", "hidden-viewer")));
    expect(JSON.stringify(taken)).not.toMatch(/exists/);
    for (const name of ["hidden-viewer", "no-such-token"]) {
      expect(await limitedAdmin.emitWithAck("token:revoke", { name })).toEqual({ data: { revoked: false } });
    }
    const list = await limitedAdmin.emitWithAck("token:list", {});
    expect(JSON.stringify(list)).not.toMatch(/hidden-viewer/);
  });

  it("a token it makes never outlives it; zero is refused, not read as never", async () => {
    // Fresh names per try: a retry starts from a clean fixture.
    const n = freshName("brief");
    const made = app.auth.tokens!.create({ name: `${n}-admin`, role: "admin", expiresInMs: 3_600_000 });
    const brief = await as(made.token);
    const limit = Date.parse(made.info.expiresAt!);
    const plain = await brief.emitWithAck("token:create", { name: `${n}-child`, role: "viewer" });
    if (!("data" in plain)) throw new Error(JSON.stringify(plain));
    expect(Date.parse(plain.data.info.expiresAt!)).toBeLessThanOrEqual(limit);
    expect(await brief.emitWithAck("token:create", { name: `${n}-long`, role: "viewer", expires: "2h" })).toMatchObject({ error: { code: "TOKEN_ERROR" } });
    const zero = await brief.emitWithAck("token:create", { name: `${n}-zero`, role: "viewer", expires: "0m" });
    expect(zero).toMatchObject({ error: { code: "TOKEN_ERROR" } });
    expect(app.auth.tokens!.list().some((t) => t.name === `${n}-zero` || t.name === `${n}-long`)).toBe(false);
    const admin = await as(app.bootstrapToken!);
    expect(await admin.emitWithAck("token:create", { name: `${n}-never`, role: "viewer", expires: "0m" })).toMatchObject({ error: { code: "TOKEN_ERROR" } });
  });

  it("an unlimited admin still manages every token", async () => {
    const admin = await as(app.bootstrapToken!);
    const r = await admin.emitWithAck("token:list", {});
    if (!("data" in r)) throw new Error(JSON.stringify(r));
    expect(r.data.map((t: TokenInfoPayload) => t.name)).toEqual(expect.arrayContaining(["admin", "other-viewer", "shogun-admin"]));
    expect(await admin.emitWithAck("token:create", { name: fresh(), role: "admin" })).toMatchObject({ data: {} });
    expect(await admin.emitWithAck("token:revoke", { name: "other-viewer" })).toEqual({ data: { revoked: true } });
  });
});

describe("session limits are no sandbox: creating such a token says so", () => {
  it("the CLI prints a one-line warning for an operator or admin limited to sessions, none for a viewer", async () => {
    const env = { ...process.env, PANECAST_TOKENS: tokensFile, PANECAST_AUDIT: auditFile, PANECAST_CONFIG: "" };
    const bin = path.resolve("bin/panecast.js");
    const op = await run(process.execPath, [bin, "token", "create", "--name", "cli-op", "--role", "operator", "--sessions", "shogun"], { env });
    const warnings = op.stderr.split("\n").filter((l) => /no sandbox/.test(l));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/every session on the same tmux server/);
    const viewer = await run(process.execPath, [bin, "token", "create", "--name", "cli-viewer", "--role", "viewer", "--sessions", "shogun"], { env });
    expect(viewer.stderr).not.toMatch(/no sandbox/);
    const all = await run(process.execPath, [bin, "token", "create", "--name", "cli-all", "--role", "operator"], { env });
    expect(all.stderr).not.toMatch(/no sandbox/);
    const zero = await run(process.execPath, [bin, "token", "create", "--name", "cli-zero", "--role", "viewer", "--expires", "0m"], { env }).then(
      () => null,
      (err: { code: number; stderr: string }) => err,
    );
    expect(zero?.code).not.toBe(0);
    expect(zero?.stderr).toMatch(/at least 1m/);
  });
});
