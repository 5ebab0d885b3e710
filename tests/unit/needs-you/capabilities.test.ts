import { describe, expect, it } from "vitest";
import { AnswerCapabilities } from "../../../lib/needs-you/capabilities.ts";

const c = { tokenId: "a".repeat(16), pane: "%3", itemId: "id", promptHash: "0000abcd" };

describe("AnswerCapabilities", () => {
  it("answers once, within ten minutes at most, for exactly what it was made for", async () => {
    const caps = new AnswerCapabilities({ ttlMs: 60 * 60_000 });
    const secret = await caps.issue(c, 0);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(await caps.take(secret, 1000)).toEqual({ ...c, expiresAt: 600_000 });
    expect(await caps.take(secret, 1000)).toBeNull();
    const late = await caps.issue(c, 0);
    expect(await caps.take(late, 600_000)).toBeNull();
    expect(await caps.take("unknown")).toBeNull();
  });

  it("keeps a bounded number, the oldest going first", async () => {
    const caps = new AnswerCapabilities({ max: 2 });
    const first = await caps.issue(c);
    await caps.issue(c);
    await caps.issue(c);
    expect(await caps.take(first)).toBeNull();
  });
});
