import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Batch } from "../../lib/protocol.ts";
import { client, startPanecast } from "../helpers/server.ts";
import { TestTmux, until } from "../helpers/tmux.ts";

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

const ticker = (tag: string) => `i=0; while :; do i=$((i+1)); echo ${tag} $i; sleep 0.05; done`;

describe("view:set", () => {
  it("sends a pane the client shows off screen at the far interval, the others at the full rate, and refuses a bad list", async () => {
    const tmux = new TestTmux();
    cleanup.push(() => tmux.kill());
    const near = await tmux.newSession("alpha");
    const far = await tmux.split(near);
    const config = path.join(mkdtempSync(path.join(tmpdir(), "panecast-far-")), "panecast.yaml");
    // Longer than the whole test: the far pane gets its first change, then nothing until it is near.
    writeFileSync(config, "hub:\n  far_interval_ms: 60000\n");
    const { app, url } = await startPanecast(tmux, ["--config", config]);
    cleanup.push(() => app.close());
    const c = await client(url);
    cleanup.push(() => void c.close());
    const counts: Record<string, number> = {};
    c.on("batch", (b: Batch) => {
      for (const u of b.updates ?? []) counts[u.pane] = (counts[u.pane] ?? 0) + 1;
    });
    await c.emitWithAck("subscribe", {});
    const errors: unknown[] = [];
    c.on("server:error", (e) => errors.push(e));
    c.emit("view:set", { far: ["not a pane"] });
    await until(() => errors.length > 0, "the bad list refused");
    expect(errors[0]).toMatchObject({ code: "BAD_REQUEST", event: "view:set" });
    c.emit("view:set", { far: [far] });
    await Promise.all([tmux.type(near, ticker("near")), tmux.type(far, ticker("far"))]);
    await until(() => (counts[near] ?? 0) >= 20, "20 updates of the near pane");
    expect(counts[far] ?? 0).toBeLessThanOrEqual(1);
    // On screen again: what it missed comes, and then every change.
    c.emit("view:set", { far: [] });
    await until(() => (counts[far] ?? 0) >= 5, "the far pane's updates again");
  });

  it("paces a client's batches to the frame interval it asks for, while another gets every change, and refuses a bad interval", async () => {
    const tmux = new TestTmux();
    cleanup.push(() => tmux.kill());
    const pane = await tmux.newSession("alpha");
    const { app, url } = await startPanecast(tmux);
    cleanup.push(() => app.close());
    const [paced, full] = [await client(url), await client(url)];
    cleanup.push(() => void paced.close(), () => void full.close());
    const got = { paced: [] as Array<{ at: number; screensOnly: boolean }>, full: 0, recording: false };
    paced.on("batch", (b: Batch) => {
      if (got.recording) got.paced.push({ at: performance.now(), screensOnly: !b.status && !b.alerts && !b.events && !b.eventsMissed });
    });
    full.on("batch", (b: Batch) => {
      got.full += (b.updates ?? []).filter((u) => u.pane === pane).length;
    });
    await Promise.all([paced.emitWithAck("subscribe", {}), full.emitWithAck("subscribe", {})]);
    // The full-rate client shows the pane in its focused view, as a page with it open does: the server
    // reads it at its frame pace, not at the busy pace of a pane nobody watches closely.
    full.emit("view:set", { far: [], focus: [pane] });
    const errors: unknown[] = [];
    paced.on("server:error", (e) => errors.push(e));
    paced.emit("view:set", { far: [], frameMs: 5000 });
    await until(() => errors.length > 0, "the bad interval refused");
    expect(errors[0]).toMatchObject({ code: "BAD_REQUEST", event: "view:set" });
    paced.emit("view:set", { far: [], frameMs: 500 });
    // Answered after view:set (one socket's events are handled in order): batches from now on are paced.
    await paced.emitWithAck("subscribe", {});
    got.recording = true;
    await tmux.type(pane, ticker("tick"));
    await until(() => got.full >= 30 && got.paced.filter((b) => b.screensOnly).length >= 3, "30 updates to the full-rate client, 3 screen batches to the paced one");
    // The server sends a batch of screens alone at least the interval after the one before it (an
    // agent's state, an alert or an event is not held): so many such batches span at least that many
    // intervals, less the transit time of the first (a tenth of a second on a loaded machine).
    const held = got.paced.slice(1).filter((b) => b.screensOnly).length;
    expect(got.paced.at(-1)!.at - got.paced[0]!.at).toBeGreaterThanOrEqual(held * 500 - 100);
    // Meanwhile the other client got the pane's changes one by one.
    expect(got.full).toBeGreaterThan(held * 2);
  });
});
