import { mkdtempSync, readFileSync, statSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { hasRole, sessionVisible } from "../../../lib/auth/principal.ts";
import { RateLimiter } from "../../../lib/auth/rate-limit.ts";
import { readCookie, signSession, verifySession } from "../../../lib/auth/session-cookie.ts";
import { parseDuration, TokenStore } from "../../../lib/auth/tokens.ts";
import { loadConfig } from "../../../lib/config.ts";
import { clientInfo, originAllowed, trustList } from "../../../lib/http/client-info.ts";
import { HostPolicy } from "../../../lib/http/host-policy.ts";

const tokenFile = () => path.join(mkdtempSync(path.join(tmpdir(), "panecast-tokens-")), "sub", "tokens.json");

describe("TokenStore", () => {
  it("stores tokens hashed in a 0600 file and verifies them", () => {
    const file = tokenFile();
    const store = new TokenStore(file);
    const { token, info } = store.create({ name: "ci", role: "operator", sessions: ["agents*"] });
    expect(token).toMatch(/^pc_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    const text = readFileSync(file, "utf8");
    // The secret is everything after the id (base64url: it may hold "_" itself).
    expect(text).not.toContain(token.split("_").slice(2).join("_"));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(info).toMatchObject({ name: "ci", role: "operator", sessions: ["agents*"], expiresAt: null });
    expect(store.verify(token)).toMatchObject({ name: "ci", role: "operator", sessions: ["agents*"] });
    expect(new TokenStore(file).verify(token)).not.toBeNull();
  });

  it("refuses wrong, malformed, revoked and expired tokens", () => {
    const store = new TokenStore(tokenFile());
    const { token } = store.create({ name: "a", role: "viewer" });
    const wrong = token.slice(0, -1) + (token.endsWith("A") ? "B" : "A");
    for (const bad of [wrong, "", "pc_", token + "x", 42, null, undefined, "Bearer " + token]) expect(store.verify(bad)).toBeNull();
    expect(store.revoke("a")).toBe(true);
    expect(store.verify(token)).toBeNull();
    expect(store.revoke("a")).toBe(false);
    const { token: old } = store.create({ name: "b", role: "viewer", expiresInMs: -1000 });
    expect(store.verify(old)).toBeNull();
  });

  it("validates names, roles and session globs, and refuses duplicates", () => {
    const store = new TokenStore(tokenFile());
    store.create({ name: "x", role: "viewer" });
    expect(() => store.create({ name: "x", role: "viewer" })).toThrow(/exists already/);
    expect(() => store.create({ name: "bad name", role: "viewer" })).toThrow(/token name/);
    expect(() => store.create({ name: "y", role: "root" as never })).toThrow(/token role/);
    expect(() => store.create({ name: "z", role: "viewer", sessions: ["a;b"] })).toThrow(/not a session name/);
  });

  it("parses expiry durations", () => {
    expect(parseDuration("30d")).toBe(30 * 86_400_000);
    expect(parseDuration("12h")).toBe(12 * 3_600_000);
    expect(() => parseDuration("soon")).toThrow(/expected a number and m, h, d or w/);
  });
});

describe("session cookies", () => {
  const key = Buffer.alloc(32, 7);
  const sid = "A".repeat(22);
  it("verify what they sign; tell a stale cookie (old format, other key) from a forged one", () => {
    const value = signSession(key, "0a0b0c0d", "0123456789abcdef", sid);
    expect(verifySession(key, "0a0b0c0d", value)).toEqual({ tokenId: "0123456789abcdef", sessionId: sid });
    expect(verifySession(Buffer.alloc(32, 8), "0a0b0c0d", value)).toBe("forged");
    expect(verifySession(key, "0a0b0c0d", value.replace("0123456789abcdef", "fedcba9876543210"))).toBe("forged");
    expect(verifySession(key, "ffffffff", value)).toBe("stale");
    expect(verifySession(key, "0a0b0c0d", `0123456789abcdef.9999999999.${"n".repeat(12)}.${"m".repeat(43)}`)).toBe("stale");
    expect(verifySession(key, "0a0b0c0d", undefined)).toBe("stale");
    expect(readCookie("a=1; panecast_session=xyz; b=2", "panecast_session")).toBe("xyz");
  });
});

describe("roles and session limits", () => {
  it("rank viewer < operator < admin and match session globs", () => {
    const p = { tokenId: "x", name: "x", role: "operator" as const, sessions: ["agent*", "ops"], expiresAt: null };
    expect(hasRole(p, "viewer")).toBe(true);
    expect(hasRole(p, "operator")).toBe(true);
    expect(hasRole(p, "admin")).toBe(false);
    expect(sessionVisible(p, "agents")).toBe(true);
    expect(sessionVisible(p, "ops")).toBe(true);
    expect(sessionVisible(p, "ops2")).toBe(false);
    expect(sessionVisible({ ...p, sessions: null }, "anything")).toBe(true);
  });
});

describe("RateLimiter", () => {
  it("allows the burst, then refuses, per key", () => {
    const r = new RateLimiter({ ratePerSecond: 0.001, burst: 3 });
    expect([1, 2, 3, 4].map(() => r.take("a"))).toEqual([true, true, true, false]);
    expect(r.take("b")).toBe(true);
    expect(r.peek("a")).toBe(false);
    r.refund("a");
    expect(r.take("a")).toBe(true);
    expect(r.take("a")).toBe(false);
  });
});

describe("client info behind proxies", () => {
  const req = (peer: string, headers: Record<string, string>, encrypted = false) =>
    ({ socket: { remoteAddress: peer, encrypted }, headers }) as unknown as IncomingMessage;

  it("believes X-Forwarded-* only from trusted proxies", () => {
    const trust = trustList(["127.0.0.1/32", "10.0.0.0/8"]);
    const h = { host: "127.0.0.1:3000", "x-forwarded-for": "203.0.113.9, 10.1.2.3", "x-forwarded-proto": "https", "x-forwarded-host": "dash.example.com" };
    expect(clientInfo(req("::ffff:127.0.0.1", h), trust)).toEqual({ ip: "203.0.113.9", secure: true, forwardedHost: "dash.example.com" });
    expect(clientInfo(req("198.51.100.7", h), trust)).toEqual({ ip: "198.51.100.7", secure: false, forwardedHost: null });
    expect(clientInfo(req("198.51.100.7", { host: "x" }, true), trustList([])).secure).toBe(true);
  });

  it("allows the own origin, configured origins and no origin; refuses others", () => {
    const config = loadConfig({ argv: [], env: { PANECAST_PUBLIC_URL: "https://dash.example.com/panecast" } });
    const hosts = new HostPolicy(config, () => 3000);
    const info = { ip: "1.2.3.4", secure: true, forwardedHost: null };
    const withOrigin = (o?: string) => ({ headers: o ? { origin: o } : {} }) as unknown as IncomingMessage;
    expect(originAllowed(withOrigin("https://dash.example.com"), info, hosts, [])).toBe(true);
    expect(originAllowed(withOrigin(), info, hosts, [])).toBe(true);
    expect(originAllowed(withOrigin("https://evil.example"), info, hosts, [])).toBe(false);
    expect(originAllowed(withOrigin("null"), info, hosts, [])).toBe(false);
    const opaque = { headers: { origin: "null", "sec-fetch-site": "same-origin" } } as unknown as IncomingMessage;
    expect(originAllowed(opaque, info, hosts, [])).toBe(true);
    expect(originAllowed(withOrigin("https://ops.example"), info, hosts, ["https://ops.example"])).toBe(true);
  });
});
