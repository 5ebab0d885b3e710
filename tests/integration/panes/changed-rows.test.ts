import { execFileSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { normalizeLines, parseLine, stripAnsi } from "../../../lib/ansi.ts";
import { PaneTracker } from "../../../lib/panes/tracker.ts";
import { capturePanes } from "../../../lib/tmux/capture.ts";
import { ChangeFeed } from "../../../lib/tmux/change-feed.ts";
import { TmuxRuntime } from "../../../lib/tmux/runtime.ts";
import { TestTmux, until } from "../../helpers/tmux.ts";

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  // Tracker, feed and runtime (their control clients) end before the tmux server (TMUX-NOTES).
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

/** What a screen shows: per row, its runs of text with their styles (escapes written differently compare equal), and the cursor. */
function shown(lines: readonly string[]): Array<Array<[string, string]> | number> {
  return lines.flatMap((line) => {
    const runs: Array<[string, string]> = [];
    const parsed = parseLine(line);
    for (const seg of parsed.segments) {
      const style = JSON.stringify(seg.style);
      const last = runs[runs.length - 1];
      if (last && last[1] === style) last[0] += seg.text;
      else runs.push([seg.text, style]);
    }
    // Trailing blanks in the default style show nothing.
    while (runs.length > 0 && runs[runs.length - 1]![1] === JSON.stringify(parseLine("").end) && runs[runs.length - 1]![0].trim() === "") runs.pop();
    return parsed.cursor === null ? [runs] : [runs, parsed.cursor];
  });
}

/** A pane that prints whatever is written to its fifo, watched by a tracker in push mode over the control channel. */
async function setup(opts: { historyLimit?: number } = {}) {
  const tmux = new TestTmux();
  cleanup.push(() => tmux.kill());
  const dir = mkdtempSync(path.join(tmpdir(), "panecast-rows-"));
  const fifo = path.join(dir, "pane.fifo");
  execFileSync("mkfifo", [fifo]);
  await tmux.newSession("keep");
  if (opts.historyLimit !== undefined) await tmux.tmux("set-option", "-g", "history-limit", String(opts.historyLimit));
  const pane = await tmux.newSession("rows", { command: `exec cat ${fifo}`, width: 40, height: 10 });
  // Read-write: opening never blocks, and cat never sees end-of-file.
  const fd = openSync(fifo, "r+");
  cleanup.push(() => closeSync(fd));
  const runtime = new TmuxRuntime({ socketName: tmux.socketName }, { channel: "control" });
  const feed = new ChangeFeed(runtime, {});
  const tracker = new PaneTracker(runtime, feed, {
    mode: "push",
    sessions: [],
    userOptions: [],
    colors: true,
    frameIntervalMs: 10,
    topologyRefreshMs: 200,
    poll: { baseIntervalMs: 500, maxIntervalMs: 5000, noChangeThreshold: 4 },
    maxPanes: 100,
  });
  cleanup.push(() => runtime.close(), () => tracker.stop());
  await tracker.start();
  await until(() => tracker.frame(pane), "first frame");
  /** Writes to the pane, and waits until its frame shows `expect` (visible text). */
  const print = async (bytes: string, expectText: string) => {
    writeSync(fd, bytes);
    await until(() => tracker.frame(pane)?.lines.some((l) => stripAnsi(l).includes(expectText)), `frame shows ${JSON.stringify(expectText)}`);
  };
  /** The frame the tracker holds, and the same screen read whole now. */
  const both = async () => {
    const full = (await capturePanes(runtime, [pane], { colors: true })).get(pane)!;
    return { frame: shown(tracker.frame(pane)!.lines), screen: shown(normalizeLines(full)) };
  };
  return { tmux, pane, tracker, print, both };
}

describe("reading only the rows plain output changed", () => {
  it("keeps the exact screen (colours, wide characters, the cursor) as lines scroll, reading changed rows alone", async () => {
    const { tracker, print, both } = await setup();
    for (let i = 0; i < 25; i++) {
      await print(`\x1b[3${i % 8};1mrow ${i}\x1b[0m 漢字 ✓ \x1b[48;5;${i + 16}mbg\x1b[0m tail\n`, `row ${i} `);
      const { frame, screen } = await both();
      expect(frame).toEqual(screen);
    }
    // More lines at once than the rows read above the cursor: read whole, then more rows next time.
    await print(Array.from({ length: 7 }, (_, i) => `\x1b[35mburst ${i}\x1b[0m\n`).join(""), "burst 6");
    expect((await both()).frame).toEqual((await both()).screen);
    await print("\x1b[36mafter burst\x1b[0m\n", "after burst");
    expect((await both()).frame).toEqual((await both()).screen);
    // Text with no newline: the cursor moves along its row.
    await print("partial 🙂 line", "partial");
    const { frame, screen } = await both();
    expect(frame).toEqual(screen);
    expect(tracker.stats.rowCaptures).toBeGreaterThan(0);
  });

  it("reads the whole screen after output that may change any row (clear, cursor moves, a scroll region)", async () => {
    const { tracker, print, both } = await setup();
    for (let i = 0; i < 12; i++) await print(`line ${i}\n`, `line ${i}`);
    const rowsBefore = tracker.stats.rowCaptures;
    expect(rowsBefore).toBeGreaterThan(0);
    await print("\x1b[2J\x1b[Htop\x1b[5;1Hmiddle\n", "middle");
    expect((await both()).frame).toEqual((await both()).screen);
    // Lines scrolled inside a region never reach the history: the count of scrolled lines is unknown.
    await print("\x1b[2;6r\x1b[6;1H", "middle");
    for (let i = 0; i < 8; i++) {
      await print(`in region ${i}\n`, `in region ${i}`);
      const { frame, screen } = await both();
      expect(frame).toEqual(screen);
    }
    await print("\x1b[r\x1b[10;1Hafter\n", "after");
    const { frame, screen } = await both();
    expect(frame).toEqual(screen);
  });

  it("keeps the screen when the history is full and tmux trims it", async () => {
    const { tracker, print, both } = await setup({ historyLimit: 20 });
    for (let i = 0; i < 60; i++) {
      await print(`\x1b[32mhist ${i}\x1b[0m\n`, `hist ${i}`);
      const { frame, screen } = await both();
      expect(frame).toEqual(screen);
    }
    expect(tracker.stats.rowCaptures).toBeGreaterThan(0);
  });
});
