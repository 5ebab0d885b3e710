import { describe, expect, it } from "vitest";
import { ControlParser, paneNotices } from "../../../lib/tmux/control-parser.ts";

const feed = (p: ControlParser, ...chunks: Array<string | Buffer>) => chunks.flatMap((c) => p.push(typeof c === "string" ? Buffer.from(c, "latin1") : c));

describe("ControlParser", () => {
  it("reads output and notifications, in order", () => {
    const p = new ControlParser();
    const ev = feed(
      p,
      "%output %3 hello\\015\\012\n%extended-output %4 12 : x\n%window-add @2\n%unlinked-window-close @5\n%sessions-changed\n%session-renamed $1 new name\n%layout-change @0 abc\n%pause %7\n%continue %7\n%exit\n",
    );
    expect(ev).toEqual([
      { type: "output", pane: "%3", plain: true },
      { type: "output", pane: "%4", plain: true },
      { type: "window-add", window: "@2" },
      { type: "window-close", window: "@5" },
      { type: "sessions-changed" },
      { type: "session-renamed", session: "$1", name: "new name" },
      { type: "layout-change", window: "@0" },
      { type: "pause", pane: "%7" },
      { type: "continue", pane: "%7" },
      { type: "exit", reason: "" },
    ]);
  });

  it("reads lines split across chunks, a UTF-8 character split included", () => {
    const p = new ControlParser();
    const bytes = Buffer.from("%output %12 caf\u00e9 \u2713\n%output %13 x\n", "utf8");
    const events = [];
    for (let i = 0; i < bytes.length; i++) events.push(...p.push(bytes.subarray(i, i + 1)));
    expect(events).toEqual([
      { type: "output", pane: "%12", plain: true },
      { type: "output", pane: "%13", plain: true },
    ]);
  });

  it("tells plain output (text, colours, line moves) from output that may change any row", () => {
    const p = new ControlParser();
    const plain = (data: string) => (feed(p, `%output %1 ${data}\n`)[0] as { plain: boolean }).plain;
    expect(plain("\\033[1;38;5;208mok\\033[0m done\\015\\012")).toBe(true);
    expect(plain("tab\\011back\\010bell\\007 \\134 \\033(B")).toBe(true);
    expect(plain("caf\u00e9")).toBe(true);
    // Cursor moves, erases, modes, scroll regions, titles: any row may have changed.
    for (const other of ["\\033[2J", "\\033[H", "\\033[1A", "\\033[K", "\\033[?1049h", "\\033[1;20r", "\\033]0;t\\007", "\\033M", "\\033c", "x\\013y", "\\033(0"]) {
      expect(plain(other), other).toBe(false);
    }
    // An escape cut at the end of one notification ends in the next: both are not plain.
    expect(plain("text \\033[3")).toBe(false);
    expect(plain("1mred")).toBe(false);
    expect(plain("red again")).toBe(true);
  });

  it("keeps only the header of a huge output line", () => {
    const p = new ControlParser();
    const huge = `%output %9 ${"x".repeat(1_000_000)}`;
    const ev = feed(p, huge.slice(0, 500_000), huge.slice(500_000), "\n%window-add @1\n");
    expect(ev).toEqual([
      // What it printed was partly dropped: not plain.
      { type: "output", pane: "%9", plain: false },
      { type: "window-add", window: "@1" },
    ]);
  });

  it("collects command replies and never reads notifications inside them", () => {
    const p = new ControlParser();
    const ev = feed(p, "%begin 1 2 0\n%output %1 not-a-notification\nline\n%end 1 2 0\n%begin 3 4 0\nbad\n%error 3 4 0\n");
    expect(ev).toEqual([
      { type: "reply", ok: true, lines: ["%output %1 not-a-notification", "line"] },
      { type: "reply", ok: false, lines: ["bad"] },
    ]);
  });

  it("finds the %pause/%continue a refresh-client -A command caused inside its reply block", () => {
    const p = new ControlParser();
    const [reply] = feed(p, "%begin 1 2 1\n%pause %3\n%end 1 2 1\n");
    expect(reply).toEqual({ type: "reply", ok: true, lines: ["%pause %3"] });
    expect(paneNotices(["%pause %3", "%continue %12\r", "%pause %x", "text %pause %4", "%continue"])).toEqual([
      { type: "pause", pane: "%3" },
      { type: "continue", pane: "%12" },
    ]);
  });
});
