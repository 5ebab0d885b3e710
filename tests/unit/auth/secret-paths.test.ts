import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Auth } from "../../../lib/auth/auth.ts";
import { secretPaths } from "../../../lib/auth/secret-paths.ts";
import { LOCAL_ADMIN } from "../../../lib/auth/principal.ts";
import { loadConfig, STATE_FILES, statePath } from "../../../lib/config.ts";
import { readCredentials, writeCredentials } from "../../../lib/hooks/credentials.ts";
import { createPush } from "../../../lib/notify/push.ts";

const scratch = () => mkdtempSync(path.join(tmpdir(), "panecast-statepaths-"));

describe("one data directory for every state file", () => {
  it("is the token file's directory when only auth.tokens_path is set, as before data_dir existed", () => {
    const dir = scratch();
    const c = loadConfig({ argv: ["--tokens", path.join(dir, "t.json")], env: { HOME: "/home/u" }, cwd: "/" });
    expect(c.data_dir).toBe(dir);
    expect(c.audit.path).toBe(statePath(dir, "audit.jsonl"));
    const both = loadConfig({ argv: ["--tokens", path.join(dir, "t.json"), "--data-dir", "/srv/pc"], env: {}, cwd: "/" });
    expect(both.data_dir).toBe("/srv/pc");
    expect(both.auth.tokens_path).toBe(path.join(dir, "t.json"));
  });

  it("holds the session key and table, the push keys and subscriptions and the hook's file, wherever the token file is", () => {
    const data = scratch();
    const elsewhere = scratch();
    const config = loadConfig({ argv: ["--data-dir", data, "--tokens", path.join(elsewhere, "tokens.json")], env: { PANECAST_AUTH: "on" }, cwd: "/" });
    const auth = new Auth(config);
    const push = createPush(config, () => LOCAL_ADMIN);
    try {
      expect(existsSync(statePath(data, "session.key"))).toBe(true);
      expect(existsSync(path.join(elsewhere, "session.key"))).toBe(false);
      expect(existsSync(statePath(data, "vapid.json"))).toBe(true);
      expect(push).not.toBeNull();
      writeCredentials(config.data_dir, { url: "http://127.0.0.1:3000", token: null });
      expect(existsSync(statePath(data, "agent-hook.json"))).toBe(true);
      expect(readCredentials(config.data_dir)).toEqual({ url: "http://127.0.0.1:3000", token: null });
    } finally {
      auth.stop();
    }
  });

  it("is never served, nor the token file's directory, nor any state file by name", () => {
    const data = scratch();
    const elsewhere = scratch();
    const config = loadConfig({ argv: ["--data-dir", data, "--tokens", path.join(elsewhere, "tokens.json")], env: {}, cwd: "/" });
    const s = secretPaths(config);
    expect(s.dirs).toEqual([data, elsewhere]);
    for (const name of STATE_FILES) expect(s.files).toContain(statePath(data, name));
    expect(s.files).toContain(path.join(elsewhere, "tokens.json"));
  });
});
