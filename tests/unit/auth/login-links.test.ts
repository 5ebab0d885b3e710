import { describe, expect, it } from "vitest";
import { MemoryOneTime } from "../../../lib/auth/one-time.ts";
import { LoginLinks } from "../../../lib/auth/login-links.ts";
import type { Principal } from "../../../lib/auth/principal.ts";

const operator: Principal = { tokenId: "a".repeat(16), name: "op", role: "operator", sessions: ["alpha*"], expiresAt: null };

describe("LoginLinks", () => {
  it("grants once, with the creator's session limits, and never after its expiry", async () => {
    const links = new LoginLinks();
    const { code, grant } = await links.create(operator, "viewer", 600_000, 1000);
    expect(grant).toMatchObject({ role: "viewer", sessions: ["alpha*"], createdBy: "op", expiresAt: 601_000 });
    expect(await links.redeem(code, 2000)).toMatchObject({ role: "viewer" });
    expect(await links.redeem(code, 2000)).toBeNull();
    const late = await links.create(operator, "operator", 600_000, 1000);
    expect(await links.redeem(late.code, 601_000)).toBeNull();
    expect(await links.redeem("not-a-code")).toBeNull();
  });

  it("refuses a role above the creator's, the agent role, and a life outside 10 s to 1 h; ends with its creator's token", async () => {
    const links = new LoginLinks();
    await expect(links.create(operator, "admin", 600_000)).rejects.toThrow(expect.objectContaining({ code: "FORBIDDEN" }));
    await expect(links.create(operator, "agent", 600_000)).rejects.toThrow(expect.objectContaining({ code: "BAD_REQUEST" }));
    await expect(links.create(operator, "viewer", 2 * 3_600_000)).rejects.toThrow(expect.objectContaining({ code: "BAD_REQUEST" }));
    await expect(links.create(operator, "viewer", 1000)).rejects.toThrow(expect.objectContaining({ code: "BAD_REQUEST" }));
    const expiring = { ...operator, expiresAt: 5000 };
    expect((await links.create(expiring, "viewer", 600_000, 1000)).grant.expiresAt).toBe(5000);
  });

  it("keeps a bounded number of links, the oldest unused going first", async () => {
    const links = new LoginLinks(new MemoryOneTime(2));
    const first = (await links.create(operator, "viewer", 600_000)).code;
    await links.create(operator, "viewer", 600_000);
    await links.create(operator, "viewer", 600_000);
    expect(await links.redeem(first)).toBeNull();
  });
});
