import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Playback } from "../../../lib/recorder/playback.ts";
import { META, PrintingPane, recorderAt, scratchDir } from "../../helpers/recording.ts";

function files(dir: string, pane: string): string[] {
  return readdirSync(path.join(dir, pane.slice(1))).sort();
}

describe("Recorder", () => {
  it("writes each pane's frames to segments that start with a keyframe, compresses closed ones, 0600 in a 0700 directory", async () => {
    const dir = scratchDir();
    const r = recorderAt(dir, { keyframeBytes: 4096 });
    const p = new PrintingPane("%3");
    for (let i = 0; i < 200; i++) {
      const { u, lines } = p.step();
      r.record(u, lines, META);
      if (i % 20 === 19) await r.flush();
    }
    await r.stop();
    const names = files(dir, "%3");
    expect(names.length).toBeGreaterThan(2);
    expect(names.every((n) => n.endsWith(".seg.gz"))).toBe(true);
    expect(statSync(path.join(dir, "3")).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(dir, "3", names[0]!)).mode & 0o777).toBe(0o600);
    const segs = r.segments("%3");
    expect(segs[0]!.startSeq).toBe(1);
    expect(segs[segs.length - 1]!.endSeq).toBe(200);
  });

  it("records only the configured sessions", async () => {
    const dir = scratchDir();
    const r = recorderAt(dir, { sessions: ["team-*"] });
    const a = new PrintingPane("%1");
    const b = new PrintingPane("%2");
    r.record(a.step().u, a.store.get("%1")!.lines, { session: "team-a", agent: "codex" });
    r.record(b.step().u, b.store.get("%2")!.lines, { session: "private", agent: "codex" });
    await r.stop();
    expect(r.panes()).toEqual(["%1"]);
  });

  it("turns a dropped record (queue full) into a keyframe, so the rest still rebuilds exactly", async () => {
    const dir = scratchDir();
    const r = recorderAt(dir, { maxQueued: 5 });
    const p = new PrintingPane("%4");
    const expected = new Map<number, string[]>();
    for (let i = 0; i < 12; i++) {
      const { u, lines } = p.step();
      expected.set(u.seq, lines);
      r.record(u, lines, META);
      if (i === 7) await r.flush();
    }
    await r.stop();
    expect(r.stats.dropped).toBeGreaterThan(0);
    const play = new Playback(r);
    const last = await play.frameAt("%4", { seq: 12 });
    expect(last?.lines).toEqual(expected.get(12));
  });
});

describe("Recorder bounds", () => {
  async function fill(r: ReturnType<typeof recorderAt>, pane: string, steps: number): Promise<void> {
    const p = new PrintingPane(pane);
    for (let i = 0; i < steps; i++) {
      const { u, lines } = p.step();
      r.record(u, lines, META);
      if (i % 10 === 9) await r.flush();
    }
    await r.flush();
  }

  it("deletes segments older than the age limit, oldest first, and keeps the open one", async () => {
    const dir = scratchDir();
    const r = recorderAt(dir, { keyframeBytes: 2048, limits: { maxAgeMs: 60_000, maxPaneBytes: 1 << 30, maxTotalBytes: 1 << 30 } });
    await fill(r, "%1", 100);
    const before = r.segments("%1").length;
    await r.enforceBounds(Date.now() + 30_000);
    expect(r.segments("%1").length).toBe(before);
    await r.enforceBounds(Date.now() + 61_000);
    const left = r.segments("%1");
    expect(left.length).toBe(1);
    expect(left[0]!.closed).toBe(false);
    expect(files(dir, "%1")).toEqual([path.basename(left[0]!.file)]);
    await r.stop();
  });

  it("keeps each pane under its byte limit by deleting its oldest segments", async () => {
    const dir = scratchDir();
    const r = recorderAt(dir, { keyframeBytes: 2048, limits: { maxAgeMs: 86_400_000, maxPaneBytes: 6000, maxTotalBytes: 1 << 30 } });
    await fill(r, "%1", 300);
    const firstBefore = r.segments("%1")[0]!.startSeq;
    await r.enforceBounds();
    const segs = r.segments("%1");
    expect(segs.reduce((n, s) => n + s.bytes, 0)).toBeLessThanOrEqual(6000);
    expect(segs[0]!.startSeq).toBeGreaterThan(firstBefore);
    expect(segs[segs.length - 1]!.endSeq).toBe(300);
    const onDisk = files(dir, "%1").reduce((n, f) => n + statSync(path.join(dir, "1", f)).size, 0);
    expect(onDisk).toBeLessThanOrEqual(6000);
    await r.stop();
  });

  it("keeps the total under its limit by deleting the oldest segments of any pane", async () => {
    const dir = scratchDir();
    const r = recorderAt(dir, { keyframeBytes: 2048, limits: { maxAgeMs: 86_400_000, maxPaneBytes: 1 << 30, maxTotalBytes: 10_000 } });
    await fill(r, "%1", 200);
    await fill(r, "%2", 200);
    const before = [...r.segments("%1"), ...r.segments("%2")].filter((s) => s.closed);
    await r.enforceBounds();
    expect(r.totalBytes).toBeLessThanOrEqual(10_000);
    const kept = new Set([...r.segments("%1"), ...r.segments("%2")].map((s) => s.file));
    const deleted = before.filter((s) => !kept.has(s.file));
    const remaining = before.filter((s) => kept.has(s.file));
    expect(deleted.length).toBeGreaterThan(0);
    // Oldest first, across panes: everything deleted ended before anything kept.
    expect(Math.max(...deleted.map((s) => s.endAt))).toBeLessThanOrEqual(Math.min(...remaining.map((s) => s.endAt)));
    // %1 wrote first: its segments were the oldest.
    expect(r.segments("%1").length).toBeLessThan(r.segments("%2").length);
    await r.stop();
  });
});
