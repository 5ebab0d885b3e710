import { describe, expect, it } from "vitest";
import { ConnectionCounter, FloodGuard, guard, mayQueue } from "../../../lib/realtime/flood.ts";

const socket = (queued: number) => ({ conn: { writeBuffer: new Array<unknown>(queued) } }) as never;
const opts = { answered: 2, windowMs: 1000, disconnectAfter: 5, maxQueued: 10 };

describe("FloodGuard", () => {
  it("answers the first refusals of a window, drops the rest, and calls onFlood once at the threshold", () => {
    const floods: number[] = [];
    const g = new FloodGuard(socket(0), opts, (n) => floods.push(n));
    expect([1, 2, 3, 4, 5, 6, 7].map(() => g.refuse(0))).toEqual(["answer", "answer", "drop", "drop", "drop", "drop", "drop"]);
    expect(floods).toEqual([5]);
  });

  it("starts counting again in a new window", () => {
    const g = new FloodGuard(socket(0), opts);
    expect([g.refuse(0), g.refuse(0), g.refuse(0)]).toEqual(["answer", "answer", "drop"]);
    expect(g.refuse(1000)).toBe("answer");
    expect(g.count).toBe(1);
  });

  it("queues nothing more, not even a refusal, while the client has not taken maxQueued packets", () => {
    const full = guard(socket(10), opts);
    expect(full.mayQueue()).toBe(false);
    expect(full.refuse(0)).toBe("drop");
    const s = socket(9);
    guard(s, opts);
    expect(mayQueue(s)).toBe(true);
    // An answer that cannot be queued counts towards the flood limit.
    const floods: number[] = [];
    const stuck = socket(10);
    guard(stuck, opts, (n) => floods.push(n));
    for (let i = 0; i < 5; i++) expect(mayQueue(stuck)).toBe(false);
    expect(floods).toEqual([5]);
    expect(mayQueue({})).toBe(true);
  });
});

describe("ConnectionCounter", () => {
  it("counts per address until each connection closes", () => {
    const c = new ConnectionCounter();
    const closers: Array<() => void> = [];
    c.track("10.0.0.1", (cb) => closers.push(cb));
    c.track("10.0.0.1", (cb) => closers.push(cb));
    c.track("10.0.0.2", (cb) => closers.push(cb));
    expect([c.count("10.0.0.1"), c.count("10.0.0.2"), c.count("10.0.0.3")]).toEqual([2, 1, 0]);
    for (const close of closers) close();
    expect(c.count("10.0.0.1")).toBe(0);
  });
});
