import { describe, expect, it } from "vitest";
import { CoalescedRun } from "../../lib/coalesced-run.ts";

describe("CoalescedRun", () => {
  it("never overlaps, shares the running promise, and asks for one more run however often it was asked", async () => {
    let release!: () => void;
    let runs = 0;
    let agains = 0;
    const r = new CoalescedRun(
      () => {
        runs++;
        return new Promise<void>((done) => (release = done));
      },
      () => agains++,
    );
    const p1 = r.run();
    const p2 = r.run();
    const p3 = r.run();
    expect(p2).toBe(p1);
    expect(p3).toBe(p1);
    expect(r.running).toBe(true);
    release();
    await p1;
    expect(runs).toBe(1);
    expect(agains).toBe(1);
    expect(r.running).toBe(false);
    const p4 = r.run();
    release();
    await p4;
    expect(agains).toBe(1);
  });

  it("settles without throwing when the task fails", async () => {
    const r = new CoalescedRun(() => Promise.reject(new Error("no")), () => {});
    await expect(r.run()).rejects.toThrow("no");
    await expect(r.settled()).resolves.toBeUndefined();
  });
});
