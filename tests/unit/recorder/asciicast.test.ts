import xterm from "@xterm/headless";
import { describe, expect, it } from "vitest";
import { stripAnsi } from "../../../lib/ansi.ts";
import { toAsciicast } from "../../../lib/recorder/asciicast.ts";
import { Playback } from "../../../lib/recorder/playback.ts";
import { META, PrintingPane, recorderAt, scratchDir } from "../../helpers/recording.ts";

const { Terminal } = xterm;

/** Plays an asciicast v2 file into a headless xterm.js, as asciinema's player would. */
async function play(cast: string): Promise<InstanceType<typeof Terminal>> {
  const [head, ...events] = cast.trimEnd().split("\n");
  const h = JSON.parse(head!) as { version: number; width: number; height: number };
  expect(h.version).toBe(2);
  const term = new Terminal({ cols: h.width, rows: h.height, allowProposedApi: true, scrollback: 0 });
  let last = -1;
  for (const line of events) {
    const [t, kind, data] = JSON.parse(line) as [number, string, string];
    expect(t).toBeGreaterThanOrEqual(last);
    last = t;
    if (kind === "r") {
      const [w, hh] = data.split("x").map(Number);
      term.resize(w!, hh!);
    } else if (kind === "o") await new Promise<void>((r) => term.write(data, r));
  }
  return term;
}

describe("asciicast export", () => {
  it("plays back to the same final screen: text, wide characters and colours", async () => {
    const r = recorderAt(scratchDir(), { keyframeBytes: 4000 });
    const p = new PrintingPane("%2");
    let final: string[] = [];
    for (let i = 0; i < 120; i++) {
      const { u, lines } = p.step();
      final = lines;
      r.record(u, lines, META);
      if (i % 40 === 39) await r.flush();
    }
    await r.flush();
    const page = await new Playback(r).steps("%2", { at: 0 }, 10_000);
    expect(page.steps.length).toBe(120);
    const term = await play(toAsciicast(page.steps, "alpha %2"));
    const buf = term.buffer.active;
    // Written blanks count as cells in xterm.js, so both sides drop trailing blanks.
    const rows = Array.from({ length: 12 }, (_, y) => buf.getLine(y)!.translateToString(true).trimEnd());
    expect(rows).toEqual(final.map((l) => stripAnsi(l).trimEnd()));
    // A coloured row keeps its colour: `\x1b[3Nm` is palette colour N on its first cell.
    const y = final.findIndex((l) => l.includes("\x1b[3"));
    const n = Number(/\x1b\[3(\d)m/.exec(final[y]!)![1]);
    const cell = buf.getLine(y)!.getCell(0)!;
    expect(cell.isFgPalette()).toBe(true);
    expect(cell.getFgColor()).toBe(n);
    // 漢 takes two cells.
    const x = rows[y]!.indexOf("漢");
    expect(buf.getLine(y)!.getCell(x)!.getWidth()).toBe(2);
    term.dispose();
    await r.stop();
  });
});
