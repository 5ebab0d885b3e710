import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SessionTable } from "../../../lib/auth/sessions.ts";

describe("SessionTable", () => {
  it("a session works for its own token only, until it is ended", () => {
    const t = new SessionTable({ ttlMs: 60_000 });
    const a = t.open("aaaaaaaaaaaaaaaa").id;
    expect(a).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(t.use(a, "aaaaaaaaaaaaaaaa")).toBe(true);
    expect(t.use(a, "bbbbbbbbbbbbbbbb")).toBe(false);
    expect(t.use("x".repeat(22), "aaaaaaaaaaaaaaaa")).toBe(false);
    expect(t.end(a)).toBe(true);
    expect(t.use(a, "aaaaaaaaaaaaaaaa")).toBe(false);
    expect(t.end(a)).toBe(false);
  });

  it("an unused session past its lifetime is gone", () => {
    const t = new SessionTable({ ttlMs: 0 });
    expect(t.use(t.open("aaaaaaaaaaaaaaaa").id, "aaaaaaaaaaaaaaaa")).toBe(false);
    expect(t.size).toBe(0);
  });

  it("is bounded: past the limit the least recently used session ends", () => {
    const t = new SessionTable({ ttlMs: 60_000, max: 2 });
    const [a, b] = [t.open("a".repeat(16)).id, t.open("b".repeat(16)).id];
    expect(t.use(a, "a".repeat(16))).toBe(true);
    const c = t.open("c".repeat(16)).id;
    expect(t.size).toBe(2);
    expect(t.use(b, "b".repeat(16))).toBe(false);
    expect(t.use(a, "a".repeat(16))).toBe(true);
    expect(t.use(c, "c".repeat(16))).toBe(true);
  });

  it("holds at most perToken sessions of one token: a new one ends that token's least recently used, and no other token's", () => {
    const t = new SessionTable({ ttlMs: 60_000 });
    const [a, b] = ["a".repeat(16), "b".repeat(16)];
    const other = t.open(b, 2).id;
    const first = t.open(a, 2);
    const second = t.open(a, 2);
    expect([first.ended, second.ended]).toEqual([[], []]);
    expect(t.use(first.id, a)).toBe(true); // now the second is the least recently used
    const third = t.open(a, 2);
    expect(third.ended).toHaveLength(1);
    expect(t.use(second.id, a)).toBe(false);
    expect(t.use(first.id, a)).toBe(true);
    expect(t.use(third.id, a)).toBe(true);
    expect(t.use(other, b)).toBe(true);
    expect(t.size).toBe(3);
  });

  it("counts a token's sessions right after others ended them: logout, the table's own bound, endAll", () => {
    const t = new SessionTable({ ttlMs: 60_000, max: 3 });
    const [a, b] = ["a".repeat(16), "b".repeat(16)];
    const a1 = t.open(a, 2).id;
    const a2 = t.open(a, 2).id;
    t.open(b, 2);
    t.open(b, 2); // the table's bound pushes a1 out
    expect(t.use(a1, a)).toBe(false);
    expect(t.open(a, 2).ended).toEqual([]); // a held one (a2), so a second fits
    expect(t.use(a2, a)).toBe(false); // ...and the table's bound took a2 for it: still no wrong count
    const a3 = t.open(a, 2);
    expect(t.end(a3.id)).toBe(true);
    expect(t.open(a, 2).ended).toEqual([]);
    t.endAll();
    expect([t.open(a, 1).ended, t.open(a, 1).ended.length]).toEqual([[], 1]);
  });

  it("endAll ends every session", () => {
    const t = new SessionTable({ ttlMs: 60_000 });
    const ids = [t.open("a".repeat(16)).id, t.open("b".repeat(16)).id];
    t.endAll();
    expect(ids.map((id, i) => t.use(id, (i ? "b" : "a").repeat(16)))).toEqual([false, false]);
  });

  it("does not ask to renew the browser's cookie on every request", () => {
    const t = new SessionTable({ ttlMs: 60_000 });
    const a = t.open("a".repeat(16)).id;
    expect(t.cookieDue(a)).toBe(false);
  });
});

describe("SessionTable with a file", () => {
  const scratch = () => path.join(mkdtempSync(path.join(tmpdir(), "panecast-sessions-")), "sessions.json");

  it("outlives a restart, in a 0600 file that holds no session id", () => {
    const file = scratch();
    const t = new SessionTable({ ttlMs: 60_000, file, keyId: "k1" });
    const a = t.open("a".repeat(16)).id;
    const b = t.open("b".repeat(16)).id;
    t.end(b);
    t.close();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8")).not.toContain(a);
    const again = new SessionTable({ ttlMs: 60_000, file, keyId: "k1" });
    expect(again.use(a, "a".repeat(16))).toBe(true);
    expect(again.use(b, "b".repeat(16))).toBe(false);
  });

  it("drops sessions signed for another key, and ends them all at a rotation", () => {
    const file = scratch();
    const t = new SessionTable({ ttlMs: 60_000, file, keyId: "k1" });
    const a = t.open("a".repeat(16)).id;
    t.close();
    expect(new SessionTable({ ttlMs: 60_000, file, keyId: "k2" }).use(a, "a".repeat(16))).toBe(false);
    const same = new SessionTable({ ttlMs: 60_000, file, keyId: "k1" });
    same.endAll("k2");
    same.close();
    expect(new SessionTable({ ttlMs: 60_000, file, keyId: "k1" }).use(a, "a".repeat(16))).toBe(false);
  });

  it("a damaged file ends every session instead of stopping the start", () => {
    const file = scratch();
    writeFileSync(file, "{ not json");
    const t = new SessionTable({ ttlMs: 60_000, file, keyId: "k1" });
    expect(t.size).toBe(0);
    t.open("a".repeat(16)).id;
    t.close();
    expect(new SessionTable({ ttlMs: 60_000, file, keyId: "k1" }).size).toBe(1);
  });
});
