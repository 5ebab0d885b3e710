import { spawn } from "node:child_process";
import { once } from "node:events";
import { appendFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Playback } from "../../../lib/recorder/playback.ts";
import { META, PrintingPane, recorderAt, scratchDir } from "../../helpers/recording.ts";

const CHILD = path.resolve(import.meta.dirname, "../../helpers/recording-child.ts");

describe("Recorder after a kill -9", () => {
  // A child process under tsx starts slowly on a loaded machine: a generous test timeout, no timing assertion.
  it("cuts the torn tail at start-up, keeps everything flushed, rebuilds exactly and records on", { timeout: 60_000 }, async () => {
    const dir = scratchDir();
    const child = spawn(process.execPath, ["--import", "tsx", CHILD, dir], { stdio: ["ignore", "pipe", "inherit"] });
    let flushed = 0;
    let out = "";
    await new Promise<void>((resolve) => {
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        for (const m of out.matchAll(/flushed (\d+)/g)) flushed = Math.max(flushed, Number(m[1]));
        // Killed while it is still writing: several segments in, one open.
        if (flushed >= 400) resolve();
      });
    });
    child.kill("SIGKILL");
    await once(child, "exit");

    const paneDir = path.join(dir, "5");
    const open = readdirSync(paneDir).filter((n) => n.endsWith(".open"));
    expect(open.length).toBe(1);
    // A write torn in the middle of a record, as a crash inside write(2) leaves it.
    appendFileSync(path.join(paneDir, open[0]!), '1a2b3c4d {"t":"d","seq":99999,"at":1,"w":80,"h":12,"del');

    const r = recorderAt(dir, { keyframeBytes: 8192 });
    expect(readdirSync(paneDir).filter((n) => !n.endsWith(".seg.gz"))).toEqual([]);
    const segs = [...r.segments("%5")];
    const last = segs[segs.length - 1]!.endSeq;
    expect(last).toBeGreaterThanOrEqual(flushed);
    expect(last).toBeLessThan(99999);

    // The same deterministic pane again: every recorded seq rebuilds to what it printed.
    const replay = new PrintingPane("%5");
    const expected = new Map<number, string[]>();
    for (let s = 0; s < last; s++) {
      const { u, lines } = replay.step();
      expected.set(u.seq, lines);
    }
    const play = new Playback(r);
    for (const seq of [1, Math.floor(last / 2), last - 1, last]) expect((await play.frameAt("%5", { seq }))?.lines, `seq ${seq}`).toEqual(expected.get(seq));

    // And it records on after the crash, into a new segment.
    const more = new PrintingPane("%5");
    const { u, lines } = more.step();
    r.record({ ...u, seq: last + 1 }, lines, META);
    await r.stop();
    expect(r.segments("%5").length).toBe(segs.length + 1);
    expect((await play.frameAt("%5", { seq: last + 1 }))?.lines).toEqual(lines);
  });
});
