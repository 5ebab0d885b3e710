import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PanecastApp } from "../../lib/app.ts";
import { startWithAuth } from "../helpers/auth.ts";
import { freshName, TestTmux } from "../helpers/tmux.ts";

const run = promisify(execFile);
const BIN = path.resolve("bin/panecast.js");
const tmux = new TestTmux();
let app: PanecastApp;
let url: string;
let audit: string;

beforeAll(async () => {
  await tmux.newSession("alpha");
  const s = await startWithAuth(tmux);
  ({ app, url, audit } = s);
});

afterAll(async () => {
  await app?.close();
  await tmux.kill();
});

async function makeLink(token: string | null, body: unknown): Promise<{ status: number; json: { data?: { url: string; role: string; sessions: string[] | null; qr: string; expiresAt: string }; error?: { code: string } } }> {
  const res = await fetch(`${url}/api/login-links`, { method: "POST", headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as never };
}

describe("sign in a phone with a one-time link", () => {
  it("signs a browser in once, as a token of its own with the link's role and its creator's limits; the second use is refused", async () => {
    const creatorName = freshName("op-alpha");
    const creator = app.auth.tokens!.create({ name: creatorName, role: "operator", sessions: ["alpha"] }).token;
    const made = await makeLink(creator, { role: "viewer", ttl: "10m" });
    expect(made.status).toBe(200);
    const link = made.json.data!;
    expect(link).toMatchObject({ role: "viewer", sessions: ["alpha"] });
    expect(link.url).toMatch(new RegExp(`^${url}/api/login-link\\?code=[A-Za-z0-9_-]{32}$`));
    expect(link.qr).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);

    const first = await fetch(link.url, { redirect: "manual" });
    expect(first.status).toBe(303);
    // The page key rides in the fragment, as for a form sign-in.
    expect(first.headers.get("location")).toMatch(/^\/#page=[A-Za-z0-9_-]{43}$/);
    const cookie = first.headers.get("set-cookie")!.split(";")[0]!;
    const me = (await (await fetch(`${url}/api/me`, { headers: { cookie } })).json()) as { name: string; role: string; sessions: string[] | null };
    expect(me).toMatchObject({ role: "viewer", sessions: ["alpha"] });
    expect(me.name).toMatch(/^phone-[0-9a-f]{8}$/);

    const second = await fetch(link.url, { redirect: "manual" });
    expect(second.status).toBe(303);
    expect(second.headers.get("location")).toBe("/login?error=link");
    expect(second.headers.get("set-cookie")).toBeNull();

    await app.auth.audit.flush();
    const lines = readFileSync(audit, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.some((l) => l.event === "login-link" && l.token === creatorName && l.outcome === "created")).toBe(true);
    expect(lines.some((l) => l.event === "token.create" && l.token === me.name && String(l.detail).includes(creatorName))).toBe(true);
    expect(lines.some((l) => l.event === "login-link" && l.outcome === "refused")).toBe(true);
  });

  it("refuses a link above the creator's role, without credentials, and with a bad body", async () => {
    const viewer = app.auth.tokens!.create({ name: "viewer-1", role: "viewer" }).token;
    expect((await makeLink(viewer, { role: "operator" })).json.error?.code).toBe("FORBIDDEN");
    expect((await makeLink(viewer, {})).json.data?.role).toBe("viewer");
    expect((await makeLink(null, {})).status).toBe(401);
    expect((await makeLink(viewer, { role: "viewer", ttl: "5d" })).status).toBe(400);
    expect((await makeLink(viewer, { role: "viewer", ttl: "2h" })).json.error?.code).toBe("BAD_REQUEST");
    expect((await makeLink(viewer, { role: "viewer", extra: 1 })).status).toBe(400);
    const bogus = await fetch(`${url}/api/login-link?code=${"x".repeat(32)}`, { redirect: "manual" });
    expect(bogus.headers.get("location")).toBe("/login?error=link");
  });

  it("panecast login-link prints a working link, and with --qr a QR code for the terminal", async () => {
    const creator = app.auth.tokens!.create({ name: "cli-op", role: "operator" }).token;
    const { stdout } = await run(process.execPath, [BIN, "login-link", "--url", url, "--token", creator, "--role", "viewer", "--ttl", "5m", "--qr"]);
    const lines = stdout.trimEnd().split("\n");
    expect(lines.at(-1)).toMatch(/^one sign-in as viewer, until \d{4}-/);
    const link = lines.at(-2)!;
    expect(link).toMatch(/\/api\/login-link\?code=/);
    // The QR code is drawn with block characters above the link.
    expect(lines.slice(0, -2).join("\n")).toMatch(/[▀▄█]/);
    const first = await fetch(link, { redirect: "manual" });
    expect(first.headers.get("set-cookie")).toMatch(/^panecast/);
    const refused = await run(process.execPath, [BIN, "login-link", "--url", url, "--token", creator, "--role", "admin"]).catch((e: { code: number; stderr: string }) => e);
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining("FORBIDDEN") });
  });
});
