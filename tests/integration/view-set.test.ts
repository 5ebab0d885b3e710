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
});
