import { describe, expect, it } from "vitest";
import { LoginLinks } from "../../../lib/auth/login-links.ts";
import type { Principal } from "../../../lib/auth/principal.ts";

const operator: Principal = { tokenId: "a".repeat(16), name: "op", role: "operator", sessions: ["alpha*"], expiresAt: null };

describe("LoginLinks", () => {
  it("grants once, with the creator's session limits, and never after its expiry", () => {
    const links = new LoginLinks();
    const { code, grant } = links.create(operator, "viewer", 600_000, 1000);
    expect(grant).toMatchObject({ role: "viewer", sessions: ["alpha*"], createdBy: "op", expiresAt: 601_000 });
    expect(links.redeem(code, 2000)).toMatchObject({ role: "viewer" });
    expect(links.redeem(code, 2000)).toBeNull();
    const late = links.create(operator, "operator", 600_000, 1000);
    expect(links.redeem(late.code, 601_000)).toBeNull();
    expect(links.redeem("not-a-code")).toBeNull();
  });

  it("refuses a role above the creator's, the agent role, and a life outside 10 s to 1 h; ends with its creator's token", () => {
    const links = new LoginLinks();
    expect(() => links.create(operator, "admin", 600_000)).toThrow(expect.objectContaining({ code: "FORBIDDEN" }));
    expect(() => links.create(operator, "agent", 600_000)).toThrow(expect.objectContaining({ code: "BAD_REQUEST" }));
    expect(() => links.create(operator, "viewer", 2 * 3_600_000)).toThrow(expect.objectContaining({ code: "BAD_REQUEST" }));
    expect(() => links.create(operator, "viewer", 1000)).toThrow(expect.objectContaining({ code: "BAD_REQUEST" }));
    const expiring = { ...operator, expiresAt: 5000 };
    expect(links.create(expiring, "viewer", 600_000, 1000).grant.expiresAt).toBe(5000);
  });

  it("keeps a bounded number of links, the oldest unused going first", () => {
    const links = new LoginLinks(2);
    const first = links.create(operator, "viewer", 600_000).code;
    links.create(operator, "viewer", 600_000);
    links.create(operator, "viewer", 600_000);
    expect(links.redeem(first)).toBeNull();
  });
});
