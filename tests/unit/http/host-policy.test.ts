import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../lib/config.ts";
import { HostPolicy, parseHost } from "../../../lib/http/host-policy.ts";

const policy = (env: Record<string, string> = {}, argv: string[] = []) => new HostPolicy(loadConfig({ argv, env }), () => 3000);

describe("parseHost", () => {
  it("folds case and one trailing dot, keeps IPv6 in brackets, refuses malformed values", () => {
    expect(parseHost("LocalHost.:3000")).toEqual({ name: "localhost", port: 3000 });
    expect(parseHost("[::1]:3000")).toEqual({ name: "[::1]", port: 3000 });
    expect(parseHost("[::1]")).toEqual({ name: "[::1]", port: null });
    for (const bad of ["::1", "[::1", "a b", "x@localhost", "localhost:0", "localhost:99999", "localhost:3000/x", "localhost..", "", "[evil.com]"]) {
      expect(parseHost(bad), bad).toBeNull();
    }
  });
});

describe("HostPolicy", () => {
  it("allows the loopback names and the bind address with the listening port only", () => {
    const p = policy();
    for (const ok of ["localhost:3000", "127.0.0.1:3000", "[::1]:3000", "LOCALHOST:3000", "localhost.:3000"]) expect(p.allows(ok, false), ok).toBe(true);
    for (const bad of ["evil.example:3000", "localhost:3001", "localhost", "127.0.0.2:3000", "localhost.evil.example:3000", undefined]) {
      expect(p.allows(bad, false), String(bad)).toBe(false);
    }
  });

  it("takes the default port of the scheme when the Host has none", () => {
    const p = new HostPolicy(loadConfig({ argv: ["--port", "443"], env: {} }), () => 443);
    expect(p.allows("localhost", true)).toBe(true);
    expect(p.allows("localhost", false)).toBe(false);
  });

  it("adds server.allowed_hosts (any port unless given), public_url's and allowed_origins' hosts", () => {
    const p = policy({ PANECAST_ALLOWED_HOSTS: "Dash.Example, box.lan:8443", PANECAST_PUBLIC_URL: "https://panecast.example.com/panecast" });
    expect(p.allows("dash.example:9999", false)).toBe(true);
    expect(p.allows("box.lan:8443", true)).toBe(true);
    expect(p.allows("box.lan:8444", true)).toBe(false);
    expect(p.allows("panecast.example.com", true)).toBe(true);
    expect(p.allows("panecast.example.com:8443", true)).toBe(false);
    expect(p.allowsOrigin("https://panecast.example.com", true)).toBe(true);
    expect(p.allowsOrigin("https://panecast.example.com", false)).toBe(true);
    expect(p.allowsOrigin("http://localhost:3000", false)).toBe(true);
    expect(p.allowsOrigin("https://localhost:3000", false)).toBe(false);
    expect(p.allowsOrigin("http://rebound.example:3000", false)).toBe(false);
  });
});

describe("server.public_url and server.allowed_hosts settings", () => {
  it("stop the start with the key for a malformed value", () => {
    expect(() => loadConfig({ argv: [], env: { PANECAST_PUBLIC_URL: "https://[zz]/" } })).toThrow(/server\.public_url/);
    expect(() => loadConfig({ argv: [], env: { PANECAST_PUBLIC_URL: "ftp://x" } })).toThrow(/server\.public_url/);
    expect(() => loadConfig({ argv: [], env: { PANECAST_ALLOWED_HOSTS: "ok.example,evil.example/path" } })).toThrow(/server\.allowed_hosts/);
  });
});
