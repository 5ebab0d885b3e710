import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SessionKey, sessionKeyPath } from "../../../lib/auth/session-key.ts";
import { TokenStore } from "../../../lib/auth/tokens.ts";

const scratch = () => path.join(mkdtempSync(path.join(tmpdir(), "panecast-key-")), "state", "tokens.json");

describe("SessionKey", () => {
  it("makes a random key in a 0600 file beside the token file", () => {
    const tokens = scratch();
    const k = new SessionKey(sessionKeyPath(tokens), new TokenStore(tokens));
    const file = path.join(path.dirname(tokens), "session.key");
    expect(k.file).toBe(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(k.key.toString("hex")).toBe(readFileSync(file, "utf8").trim());
    expect(k.id).toMatch(/^[0-9a-f]{8}$/);
    expect(readFileSync(tokens, "utf8")).not.toContain("sessionKey");
  });

  it("moves a key an older panecast kept in the token file, once, keeping it", () => {
    const tokens = scratch();
    new TokenStore(tokens).create({ name: "a", role: "viewer" });
    const legacy = "ab".repeat(32);
    const data = JSON.parse(readFileSync(tokens, "utf8")) as Record<string, unknown>;
    writeFileSync(tokens, JSON.stringify({ ...data, sessionKey: legacy }));
    const k = new SessionKey(sessionKeyPath(tokens), new TokenStore(tokens));
    expect(k.key.toString("hex")).toBe(legacy);
    expect(readFileSync(tokens, "utf8")).not.toContain(legacy);
    expect(new TokenStore(tokens).list().map((t) => t.name)).toEqual(["a"]);
    expect(new SessionKey(sessionKeyPath(tokens), new TokenStore(tokens)).key.toString("hex")).toBe(legacy);
  });

  it("rotate writes a new key that a reload reports once", () => {
    const tokens = scratch();
    const k = new SessionKey(sessionKeyPath(tokens), new TokenStore(tokens));
    const before = k.id;
    let rotated = 0;
    k.on("rotated", () => rotated++);
    SessionKey.rotate(k.file);
    k.reload();
    k.reload();
    expect(rotated).toBe(1);
    expect(k.id).not.toBe(before);
    expect(statSync(k.file).mode & 0o777).toBe(0o600);
  });

  it("refuses a damaged key file", () => {
    const tokens = scratch();
    const file = sessionKeyPath(tokens);
    new SessionKey(file, new TokenStore(tokens));
    writeFileSync(file, "not a key\n");
    expect(() => new SessionKey(file)).toThrow(/damaged/);
  });
});
