import { describe, expect, it } from "vitest";
import { AnswerCapabilities } from "../../../lib/needs-you/capabilities.ts";

const c = { tokenId: "a".repeat(16), pane: "%3", itemId: "id", promptHash: "0000abcd" };

describe("AnswerCapabilities", () => {
  it("answers once, within ten minutes at most, for exactly what it was made for", () => {
    const caps = new AnswerCapabilities({ ttlMs: 60 * 60_000 });
    const secret = caps.issue(c, 0);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(caps.take(secret, 1000)).toEqual({ ...c, expiresAt: 600_000 });
    expect(caps.take(secret, 1000)).toBeNull();
    const late = caps.issue(c, 0);
    expect(caps.take(late, 600_000)).toBeNull();
    expect(caps.take("unknown")).toBeNull();
  });

  it("keeps a bounded number, the oldest going first", () => {
    const caps = new AnswerCapabilities({ max: 2 });
    const first = caps.issue(c);
    caps.issue(c);
    caps.issue(c);
    expect(caps.take(first)).toBeNull();
  });
});
