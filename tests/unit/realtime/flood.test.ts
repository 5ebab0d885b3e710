import { describe, expect, it } from "vitest";
import { backlog, claim, ConnectionCounter, FloodGuard, guard, mayQueue, tokenBacklogBytes } from "../../../lib/realtime/flood.ts";

/** A stand-in for engine.io's connection: `queued` packets of `bytes` characters each waiting, and what the WebSocket holds. */
const socket = (queued: number, bytes = 1, onWire = 0) =>
  ({ conn: { writeBuffer: Array.from({ length: queued }, () => ({ data: "x".repeat(bytes) })), transport: { socket: { bufferedAmount: onWire } } } }) as never;
const opts = { answered: 2, windowMs: 1000, disconnectAfter: 5, maxQueued: 10, maxQueuedBytes: 1000, maxQueuedBytesPerToken: 2500 };

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

describe("queued bytes", () => {
  it("counts the packets waiting and what the WebSocket has not passed on", () => {
    expect(backlog(socket(3, 100, 50))).toEqual({ packets: 3, bytes: 350 });
  });

  it("queues nothing more once a socket holds its byte bound, and a large answer only if it fits", () => {
    expect(guard(socket(2, 500), opts).mayQueue()).toBe(false);
    const s = socket(1, 400);
    const g = guard(s, opts);
    expect(mayQueue(s)).toBe(true);
    expect(g.fits(600)).toBe(true);
    expect(claim(s, 601)).toBe(false);
    // A claimed answer counts as queued until it is in the socket's buffer.
    expect(claim(s, 500)).toBe(true);
    expect(claim(s, 100)).toBe(true);
    expect(claim(s, 1)).toBe(false);
  });

  it("bounds the sum over one token's sockets, and forgets a socket once released", () => {
    const a = guard(socket(1, 900), opts);
    const b = guard(socket(1, 900), opts);
    a.joinToken("t1");
    b.joinToken("t1");
    const c = socket(0);
    guard(c, opts).joinToken("t1");
    expect(tokenBacklogBytes("t1")).toBe(1800);
    expect(claim(c, 701)).toBe(false);
    expect(claim(c, 700)).toBe(true);
    expect(tokenBacklogBytes("t1")).toBe(2500);
    a.release();
    expect(tokenBacklogBytes("t1")).toBe(1600);
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
