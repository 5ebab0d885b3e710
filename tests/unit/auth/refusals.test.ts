import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AuditLog } from "../../../lib/auth/audit.ts";
import { RefusalAudit } from "../../../lib/auth/refusals.ts";

function scratch() {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "panecast-refusals-")), "audit.jsonl");
  const audit = new AuditLog({ path: file, maxBytes: 1 << 20, logContent: false });
  const lines = async () => {
    await audit.flush();
    return readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { remote: string; count: number; detail: string });
  };
  return { audit, lines };
}

describe("RefusalAudit", () => {
  it("writes the first refusal of an address at once, and sums the rest of the minute into one line", async () => {
    const { audit, lines } = scratch();
    const r = new RefusalAudit(audit);
    for (let i = 0; i < 50; i++) r.refused("10.0.0.1", i % 2 ? "bearer" : "login");
    r.refused("10.0.0.2", "cookie");
    expect((await lines()).map((l) => [l.remote, l.count])).toEqual([
      ["10.0.0.1", 1],
      ["10.0.0.2", 1],
    ]);
    r.stop();
    const all = await lines();
    expect(all.map((l) => [l.remote, l.count, l.detail])).toEqual([
      ["10.0.0.1", 1, "via=login"],
      ["10.0.0.2", 1, "via=cookie"],
      ["10.0.0.1", 49, "via=bearer,login"],
    ]);
  });

  it("tracks a bounded number of addresses; one pushed out still gets its line", async () => {
    const { audit, lines } = scratch();
    const r = new RefusalAudit(audit, 2);
    for (const ip of ["a", "a", "b", "c"]) r.refused(ip, "bearer");
    const got = await lines();
    expect(got.filter((l) => l.remote === "a").map((l) => l.count)).toEqual([1, 1]);
    expect(got.reduce((n, l) => n + l.count, 0)).toBe(4);
    r.stop();
  });
});
