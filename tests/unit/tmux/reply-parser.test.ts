import { describe, expect, it } from "vitest";
import { ReplyParser } from "../../../lib/tmux/reply-parser.ts";

const b = (s: string) => Buffer.from(s, "utf8");

describe("control client reply parser", () => {
  it("reads blocks, tells our commands from tmux's own, and reports %exit", () => {
    const p = new ReplyParser();
    const out = p.push(b("%begin 1 10 0\n%end 1 10 0\n%session-changed $0 a\n%begin 1 11 1\none\ntwo\n%end 1 11 1\n%begin 1 12 1\nno pane\n%error 1 12 1\n%exit\n"));
    expect(out).toEqual([
      { type: "block", ok: true, fromClient: false, body: "", truncated: false },
      { type: "block", ok: true, fromClient: true, body: "one\ntwo\n", truncated: false },
      { type: "block", ok: false, fromClient: true, body: "no pane\n", truncated: false },
      { type: "exit", reason: "" },
    ]);
  });

  it("keeps a screen line that reads like %end inside the block unless its arguments match", () => {
    const p = new ReplyParser();
    const out = p.push(b("%begin 5 7 1\n%end 5 6 1\n%error x\n%begin 1 1 1\n%end 5 7 1\n"));
    expect(out).toEqual([{ type: "block", ok: true, fromClient: true, body: "%end 5 6 1\n%error x\n%begin 1 1 1\n", truncated: false }]);
  });

  it("joins UTF-8 split across reads and long lines split across chunks", () => {
    const p = new ReplyParser();
    const whole = b(`%begin 1 2 1\né✳${"x".repeat(10_000)}\n%end 1 2 1\n`);
    const got = [];
    for (let i = 0; i < whole.length; i += 7) got.push(...p.push(whole.subarray(i, i + 7)));
    expect(got).toEqual([{ type: "block", ok: true, fromClient: true, body: `é✳${"x".repeat(10_000)}\n`, truncated: false }]);
  });

  it("bounds a block's body and says it was cut", () => {
    const p = new ReplyParser({ maxBlockBytes: 16 });
    const [r] = p.push(b(`%begin 1 2 1\n${"y".repeat(40)}\nshort\n%end 1 2 1\n`));
    expect(r).toMatchObject({ type: "block", truncated: true });
  });
});
