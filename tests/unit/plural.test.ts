import { describe, expect, it } from "vitest";
import { plural } from "../../lib/plural.ts";

describe("plural", () => {
  it("says 1 session, 0 and 2 sessions, and takes an irregular plural", () => {
    expect([0, 1, 2].map((n) => plural(n, "session"))).toEqual(["0 sessions", "1 session", "2 sessions"]);
    expect(plural(1, "byte")).toBe("1 byte");
    expect(plural(3, "entry", "entries")).toBe("3 entries");
  });
});
