import { EventEmitter } from "node:events";
import { rmSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig, type Config } from "../../../lib/config.ts";
import { FrameStore } from "../../../lib/panes/frame-store.ts";
import { FlightRecorder, type RecordedSource } from "../../../lib/recorder/flight-recorder.ts";
import { recorderAt, scratchDir } from "../../helpers/recording.ts";

const running: FlightRecorder[] = [];
afterEach(async () => {
  for (const fr of running.splice(0)) await fr.stop();
});

function configAt(dataDir: string): Config {
  const c = loadConfig({ argv: ["--data-dir", dataDir], env: {} });
  return { ...c, recorder: { ...c.recorder, keyframe_seconds: 5 } };
}

function start(config: Config): FlightRecorder {
  const source = Object.assign(new EventEmitter(), { frame: () => undefined, pane: () => undefined }) as unknown as RecordedSource;
  const fr = new FlightRecorder(config, source, () => "");
  fr.start();
  running.push(fr);
  return fr;
}

async function stop(fr: FlightRecorder): Promise<void> {
  running.splice(running.indexOf(fr), 1);
  await fr.stop();
}

/** Prints `words` on a pane, one line each, at the given times, through the real FrameStore and Recorder. */
function print(record: (u: Parameters<FlightRecorder["recorder"]["record"]>[0], lines: readonly string[], at: number) => void, pane: string, words: string[], at: (n: number) => number): void {
  const store = new FrameStore({ colors: false, maxPanes: 10 });
  let screen: string[] = Array.from({ length: 8 }, () => "");
  words.forEach((w, n) => {
    screen = [...screen.slice(1), `printed ${w}`];
    const u = store.ingest(pane, screen, { width: 80, height: 8 })!;
    record(u, store.get(pane)!.lines, at(n));
  });
}

const all = { sessionVisible: () => true };
const META = { session: "alpha", agent: "claude" };

describe("FlightRecorder's search index", () => {
  it("after a restart opens the index on disk instead of reading the recordings again; without it, rebuilds it from them", async () => {
    const dataDir = scratchDir();
    const config = configAt(dataDir);
    const first = start(config);
    await first.indexed;
    const t = Date.now() - 60_000;
    print((u, l, at) => first.recorder.record(u, l, META, at), "%1", ["kiwi", "mango", "papaya", "kiwi2"], (n) => t + n * 10_000);
    await first.recorder.flush();
    expect(first.index.search("kiwi", all, 10).map((h) => h.text)).toEqual(["printed kiwi2", "printed kiwi"]);
    await stop(first);

    const second = start(config);
    await second.indexed;
    expect(second.feed.stats.segmentsRead).toBe(0);
    expect(second.index.search("kiwi", all, 10).map((h) => h.text)).toEqual(["printed kiwi2", "printed kiwi"]);
    await stop(second);

    rmSync(path.join(dataDir, "recordings", "index.sqlite"));
    const third = start(config);
    await third.indexed;
    expect(third.feed.stats.segmentsRead).toBeGreaterThan(0);
    expect(third.index.search("papaya", all, 10).map((h) => h.text)).toEqual(["printed papaya"]);
    expect(third.index.search("kiwi", all, 10)).toHaveLength(2);
  });

  it("catches up at start with what was recorded but not indexed (a crash between the two), without indexing a line twice", async () => {
    const dataDir = scratchDir();
    const config = configAt(dataDir);
    const first = start(config);
    await first.indexed;
    const t = Date.now() - 120_000;
    print((u, l, at) => first.recorder.record(u, l, META, at), "%2", ["alder", "birch"], (n) => t + n * 1000);
    await stop(first);
    // Written by a recorder with no index, as if the process died after the write and before indexing.
    const bare = recorderAt(path.join(dataDir, "recordings"), { keyframeMs: 5000 });
    print((u, l, at) => bare.record(u, l, META, at), "%2", ["cedar", "dogwood"], (n) => t + 60_000 + n * 1000);
    await bare.stop();

    const second = start(config);
    await second.indexed;
    expect(second.feed.stats.segmentsRead).toBe(1);
    expect(second.index.search("printed", all, 10).map((h) => h.text)).toEqual(["printed dogwood", "printed cedar", "printed birch", "printed alder"]);
  });

  it("drops a pane's lines with the segments the recording bounds delete", async () => {
    const dataDir = scratchDir();
    const fr = start(configAt(dataDir));
    await fr.indexed;
    const now = Date.now();
    print((u, l, at) => fr.recorder.record(u, l, META, at), "%3", ["ancient", "ancient2"], (n) => now - 30 * 3_600_000 + n);
    await fr.recorder.flush();
    expect(fr.index.search("ancient", all, 10)).toHaveLength(2);
    print((u, l, at) => fr.recorder.record(u, l, META, at), "%3", ["recent"], () => now);
    print((u, l, at) => fr.recorder.record(u, l, META, at), "%4", ["elsewhere"], () => now - 30 * 3_600_000);
    await fr.recorder.flush();
    fr.recorder.forget("%4");
    await fr.recorder.flush();
    await fr.recorder.enforceBounds(now);
    expect(fr.index.search("ancient", all, 10)).toEqual([]);
    expect(fr.index.search("elsewhere", all, 10)).toEqual([]);
    expect(fr.index.search("recent", all, 10).map((h) => h.text)).toEqual(["printed recent"]);
    expect(fr.index.panes()).toEqual(["%3"]);
  });
});
