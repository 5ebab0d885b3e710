import { describe, expect, it } from "vitest";
import { sessionsWithin, tokenWithin } from "../../../lib/auth/scope.ts";

describe("sessionsWithin: a requested session list inside a limit", () => {
  it("anything is within no limit", () => {
    expect(sessionsWithin(null, null)).toBe(true);
    expect(sessionsWithin(["*"], null)).toBe(true);
  });

  it("all sessions (null or empty) is never within a limit", () => {
    expect(sessionsWithin(null, ["shogun"])).toBe(false);
    expect(sessionsWithin([], ["*"])).toBe(false);
  });

  it("a pattern of the limit itself, or a plain name it matches, is within", () => {
    expect(sessionsWithin(["shogun"], ["shogun"])).toBe(true);
    expect(sessionsWithin(["team-*"], ["team-*", "ops"])).toBe(true);
    expect(sessionsWithin(["team-a", "ops"], ["team-*", "ops"])).toBe(true);
  });

  it.each([
    [["shogun*"], ["shogun"]],
    [["*"], ["shogun"]],
    [["shogu?"], ["shogun"]],
    [["sh*n"], ["shogun"]],
    [["team-a*"], ["team-*"]],
    [["team-?"], ["team-*"]],
    [["?"], ["*"]],
    [["shogun", "other"], ["shogun"]],
    [["karo"], ["shogun"]],
  ])("refuses %j within %j", (req, limit) => {
    expect(sessionsWithin(req, limit)).toBe(false);
  });
});

describe("tokenWithin: role at most the caller's, sessions within", () => {
  const limitedAdmin = { role: "admin" as const, sessions: ["shogun"] };
  it("refuses escalation of role and of sessions", () => {
    expect(tokenWithin({ role: "operator", sessions: null }, { role: "admin", sessions: null })).toBe(false);
    expect(tokenWithin(limitedAdmin, { role: "admin", sessions: null })).toBe(false);
    expect(tokenWithin(limitedAdmin, { role: "viewer", sessions: ["*"] })).toBe(false);
  });
  it("allows the same or less", () => {
    expect(tokenWithin(limitedAdmin, { role: "admin", sessions: ["shogun"] })).toBe(true);
    expect(tokenWithin(limitedAdmin, { role: "viewer", sessions: ["shogun"] })).toBe(true);
    expect(tokenWithin({ role: "admin", sessions: null }, { role: "admin", sessions: null })).toBe(true);
  });
});
