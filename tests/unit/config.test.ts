import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../lib/config.ts";

const dir = () => mkdtempSync(path.join(tmpdir(), "panecast-config-"));

describe("loadConfig", () => {
  it("has a default for every setting", () => {
    const c = loadConfig({ argv: [], env: {}, cwd: dir() });
    expect(c.server).toMatchObject({ host: "127.0.0.1", port: 3000, base_path: "", trust_proxy: [], insecure_no_auth: false });
    expect(c.auth.enabled).toBe(true);
    expect(c.watch.mode).toBe("push");
    expect(c.poll).toEqual({ base_interval_ms: 500, max_interval_ms: 5000, no_change_threshold: 4 });
    expect(c.dashboards[0]!.path.endsWith("dashboard.md")).toBe(true);
  });

  it("layers file < env < flags", () => {
    const d = dir();
    writeFileSync(path.join(d, "panecast.yaml"), "server:\n  port: 4000\n  host: 0.0.0.0\ntmux:\n  sessions: [agents]\n");
    expect(loadConfig({ argv: [], env: {}, cwd: d }).server.port).toBe(4000);
    expect(loadConfig({ argv: [], env: { PANECAST_PORT: "5000" }, cwd: d }).server.port).toBe(5000);
    const c = loadConfig({ argv: ["--port", "6000", "-L", "mine"], env: { PANECAST_PORT: "5000" }, cwd: d });
    expect(c.server.port).toBe(6000);
    expect(c.server.host).toBe("0.0.0.0");
    expect(c.tmux.socket_name).toBe("mine");
    expect(c.tmux.sessions).toEqual(["agents"]);
  });

  it("reads --config and PANECAST_CONFIG", () => {
    const d = dir();
    writeFileSync(path.join(d, "other.yaml"), "watch:\n  mode: poll\n");
    expect(loadConfig({ argv: ["--config", "other.yaml"], env: {}, cwd: d }).watch.mode).toBe("poll");
    expect(loadConfig({ argv: [], env: { PANECAST_CONFIG: "other.yaml" }, cwd: d }).watch.mode).toBe("poll");
  });

  it.each([
    [{ argv: ["--port", "abc"] }, /server\.port = "abc" \(from flag --port\): expected/],
    [{ env: { PANECAST_PORT: "70000" } }, /server\.port = 70000 \(from env PANECAST_PORT\): expected at most 65535/],
    [{ argv: ["--watch-mode", "fast"] }, /watch\.mode = "fast".*expected one of "push", "poll"/],
    [{ argv: ["-L", "a;b"] }, /tmux\.socket_name = "a;b"/],
    [{ argv: ["--base-path", "panecast/"] }, /server\.base_path/],
    [{ argv: ["--port"] }, /flag --port has no value/],
    [{ argv: ["-L", "a", "-S", "/tmp/x"] }, /both set/],
    [{ env: { PANECAST_SESSION_TTL: "soon" } }, /auth\.session_ttl = "soon" \(from env PANECAST_SESSION_TTL\): expected.*duration/],
    [{ env: { PANECAST_SESSION_TTL: "1m" } }, /auth\.session_ttl = "1m".*between 5m and 366d/],
  ])("stops with the key, the value and what was expected: %j", (src, msg) => {
    expect(() => loadConfig({ argv: [], env: {}, cwd: dir(), ...src })).toThrow(msg);
  });

  it("names unknown keys, bad YAML and a missing file", () => {
    const d = dir();
    writeFileSync(path.join(d, "a.yaml"), "server:\n  prot: 1\n");
    expect(() => loadConfig({ argv: ["--config", "a.yaml"], env: {}, cwd: d })).toThrow(/server.*unknown key prot/);
    writeFileSync(path.join(d, "b.yaml"), "server: [1,\n");
    expect(() => loadConfig({ argv: ["--config", "b.yaml"], env: {}, cwd: d })).toThrow(/b\.yaml line \d+ is not valid YAML/);
    expect(() => loadConfig({ argv: ["--config", "missing.yaml"], env: {}, cwd: d })).toThrow(ConfigError);
    writeFileSync(path.join(d, "c.yaml"), "poll:\n  base_interval_ms: 1000\n  max_interval_ms: 100\n");
    expect(() => loadConfig({ argv: ["--config", "c.yaml"], env: {}, cwd: d })).toThrow(/poll\.max_interval_ms = 100: expected at least/);
  });
});
