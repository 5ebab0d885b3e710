import { describe, expect, it } from "vitest";
import { Playback } from "../../../lib/recorder/playback.ts";
import { applyDelta } from "../../../lib/panes/diff.ts";
import { META, PrintingPane, recorderAt, scratchDir } from "../../helpers/recording.ts";

describe("Playback", () => {
  it("rebuilds the exact screen at every past seq, across keyframes and compressed segments", async () => {
    const r = recorderAt(scratchDir(), { keyframeBytes: 3000 });
    const p = new PrintingPane("%7");
    const expected = new Map<number, string[]>();
    for (let i = 0; i < 150; i++) {
      const { u, lines } = p.step();
      expected.set(u.seq, lines);
      r.record(u, lines, META);
      if (i % 25 === 24) await r.flush();
    }
    await r.flush();
    expect(r.segments("%7").filter((s) => s.closed).length).toBeGreaterThan(1);
    const play = new Playback(r);
    for (const [seq, lines] of expected) {
      const f = await play.frameAt("%7", { seq });
      expect(f?.seq, `seq ${seq}`).toBe(seq);
      expect(f?.lines, `seq ${seq}`).toEqual(lines);
    }
    expect((await play.frameAt("%7", { seq: 150 }))?.session).toBe("alpha");
    await r.stop();
  });

  it("pages through history: the first step whole, then deltas that apply to the step before", async () => {
    const r = recorderAt(scratchDir(), { keyframeBytes: 3000 });
    const p = new PrintingPane("%8");
    const expected: string[][] = [];
    for (let i = 0; i < 90; i++) {
      const { u, lines } = p.step();
      expected[u.seq] = lines;
      r.record(u, lines, META);
      if (i % 30 === 29) await r.flush();
    }
    await r.flush();
    const play = new Playback(r);
    let from: { seq: number } | null = { seq: 10 };
    let screen: string[] = [];
    const seen: number[] = [];
    while (from) {
      const page = await play.steps("%8", from, 25);
      expect(page.steps[0]!.delta.kind).toBe("full");
      for (const s of page.steps) {
        screen = applyDelta(screen, s.delta);
        expect(screen, `seq ${s.seq}`).toEqual(expected[s.seq]);
        seen.push(s.seq);
      }
      // The next page starts whole at the first seq this one left out.
      from = page.next ? { seq: page.next.seq } : null;
    }
    expect(seen).toEqual(Array.from({ length: 81 }, (_, i) => 10 + i));
    await r.stop();
  });

  it("answers null before anything was recorded", async () => {
    const r = recorderAt(scratchDir());
    const p = new PrintingPane("%9");
    const { u, lines } = p.step();
    r.record(u, lines, META);
    await r.flush();
    expect(u.seq).toBe(1);
    const play = new Playback(r);
    expect(await play.frameAt("%9", { at: Date.now() - 60_000 })).toBeNull();
    expect(await play.frameAt("%1", { seq: 1 })).toBeNull();
    await r.stop();
  });

  it("outlines a range for the timeline: frames, state changes and alerts, and the state at its start", async () => {
    const r = recorderAt(scratchDir());
    const p = new PrintingPane("%6");
    const t0 = 1_700_000_000_000;
    for (let i = 0; i < 10; i++) {
      const { u, lines } = p.step();
      r.record(u, lines, { ...META, state: "working" }, t0 + i * 1000);
      if (i === 3) r.mark("%6", { state: "waiting-for-input", line: "Proceed? (y/n)" }, t0 + i * 1000 + 10);
      if (i === 6) r.mark("%6", { alert: "error", line: "Error: ECONNREFUSED" }, t0 + i * 1000 + 10);
    }
    await r.flush();
    const play = new Playback(r);
    const o = await play.outline("%6", t0 + 2000, t0 + 8000, 1000);
    expect(o.frames.map(([seq]) => seq)).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(o.startState).toBe("working");
    expect(o.marks).toEqual([
      { seq: 4, at: t0 + 3010, state: "waiting-for-input", line: "Proceed? (y/n)" },
      { seq: 7, at: t0 + 6010, alert: "error", line: "Error: ECONNREFUSED" },
    ]);
    // Marks never disturb a rebuild.
    expect((await play.frameAt("%6", { seq: 7 }))?.seq).toBe(7);
    await r.stop();
  });
});
