import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Batch } from "../../lib/protocol.ts";
import { startWithAuth } from "../helpers/auth.ts";
import { subscribedPoller } from "../helpers/polling-client.ts";
import { client, startPanecast, type TestClient } from "../helpers/server.ts";
import { TestTmux, until } from "../helpers/tmux.ts";

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

function newTmux(): TestTmux {
  const tmux = new TestTmux();
  cleanup.push(() => tmux.kill());
  return tmux;
}

async function connected(url: string, token?: string): Promise<TestClient & { batches: Batch[] }> {
  const c = await client(url, token ? { token } : {});
  cleanup.push(() => void c.close());
  const batches: Batch[] = [];
  c.on("batch", (b) => batches.push(b));
  return Object.assign(c, { batches });
}

/** Each pane at most once in a batch: one state per pane, latest wins. */
function onePerPane(b: Batch): boolean {
  const panes = (b.updates ?? []).map((u) => u.pane);
  return new Set(panes).size === panes.length;
}

const flood = (tag: string, n: number) => `for i in $(seq 1 ${n}); do echo "${tag} $i $(printf '%040d' $i)"; sleep 0.005; done; echo ${tag}-$((${n}+1))-done`;

describe("one batch per client per frame", () => {
  it("carries several panes in one message when they print at once", async () => {
    const tmux = newTmux();
    const p1 = await tmux.newSession("alpha");
    const p2 = await tmux.split(p1);
    const p3 = await tmux.split(p1);
    const { app, url } = await startPanecast(tmux);
    cleanup.push(() => app.close());
    await until(() => app.tracker.frame(p3), "the panes captured");
    const c = await connected(url);
    await c.emitWithAck("subscribe", {});
    await Promise.all([p1, p2, p3].map((p) => tmux.type(p, flood(`multi-${p.slice(1)}`, 60))));
    await until(() => c.batches.some((b) => new Set((b.updates ?? []).map((u) => u.pane)).size >= 2), "a batch with updates of two panes");
    expect(c.batches.every(onePerPane)).toBe(true);
  });

  it("encodes a batch once for every client that shares it", async () => {
    const tmux = newTmux();
    const pane = await tmux.newSession("alpha");
    const { app, url } = await startPanecast(tmux);
    cleanup.push(() => app.close());
    const clients = await Promise.all([1, 2, 3, 4, 5].map(() => connected(url)));
    for (const c of clients) await c.emitWithAck("subscribe", {});
    // The first batch (with the sessions push) can arrive in the same read as the connection, before
    // `connected` listens: the helper's own listener, set before connecting, has it.
    await Promise.all(clients.map((c) => c.sessions));
    // Every encoding of a batch carrying the mark, whatever path it takes (broadcast or one socket).
    let encodings = 0;
    const encoder = app.io.encoder as unknown as { encode(p: { data?: unknown[] }): unknown[] };
    const encode = encoder.encode.bind(encoder);
    encoder.encode = (p) => {
      if (p.data?.[0] === "batch" && JSON.stringify(p.data[1]).includes("shared-mark")) encodings++;
      return encode(p);
    };
    cleanup.push(() => void (encoder.encode = encode));
    await tmux.type(pane, "echo shared-mark");
    const marked = (c: { batches: Batch[] }) => c.batches.filter((b) => JSON.stringify(b.updates ?? []).includes("shared-mark")).length;
    await until(() => clients.every((c) => marked(c) > 0), "the mark on every client");
    expect(clients.map(marked).reduce((a, b) => a + b)).toBeGreaterThanOrEqual(5);
    expect(encodings).toBeLessThan(clients.map(marked).reduce((a, b) => a + b));
  });

  it("gives a client that stops reading one state per pane, and the current screens once it reads again", async () => {
    const tmux = newTmux();
    const dir = mkdtempSync(path.join(tmpdir(), "panecast-test-"));
    // Every frame read (no busy pace): the client's bound is tested with as many frames as tmux gives.
    writeFileSync(path.join(dir, "panecast.yaml"), "hub:\n  max_buffered_packets: 4\nwatch:\n  frame_interval_ms: 5\n  busy_interval_ms: 0\n");
    const p1 = await tmux.newSession("alpha");
    const p2 = await tmux.split(p1);
    const { app, url } = await startPanecast(tmux, ["--config", path.join(dir, "panecast.yaml")]);
    cleanup.push(() => app.close());
    await until(() => app.tracker.frame(p2), "both panes captured");
    const { client: slow, mirror } = await subscribedPoller(url, p2);
    cleanup.push(() => slow.close());

    const skippedBefore = app.hub.stats.skipped;
    await Promise.all([tmux.type(p1, flood("slow-a", 300)), tmux.type(p2, flood("slow-b", 300))]);
    for (const [p, tag] of [[p1, "slow-a"], [p2, "slow-b"]] as const) {
      await until(() => app.tracker.frame(p)!.lines.join("\n").includes(`${tag}-301-done`), `${tag} to end on the server`, 30_000);
    }
    expect(app.hub.stats.skipped).toBeGreaterThan(skippedBefore);

    const batches: Batch[] = [];
    await until(async () => {
      for (const m of await slow.read()) {
        if ("event" in m && m.event === "batch") {
          const b = m.data as Batch;
          batches.push(b);
          for (const u of b.updates ?? []) mirror.apply(u);
        }
      }
      return [p1, p2].every((p) => JSON.stringify(mirror.pane(p)?.lines) === JSON.stringify(app.tracker.frame(p)!.lines));
    }, "the slow client to hold the current screens");
    expect(batches.every(onePerPane)).toBe(true);
    // 600 lines were printed; the client was sent far fewer states: it skipped to the latest.
    expect(batches.flatMap((b) => b.updates ?? []).length).toBeLessThan(300);
  });

  it("never puts another session's data in a limited token's batches", async () => {
    const tmux = newTmux();
    const alpha = await tmux.newSession("alpha");
    const secret = await tmux.newSession("secret");
    const { app, url } = await startWithAuth(tmux);
    cleanup.push(() => app.close());
    const limited = app.auth.tokens!.create({ name: "alpha-only", role: "viewer", sessions: ["alpha"] }).token;
    const admin = app.auth.tokens!.create({ name: "all", role: "admin", sessions: null }).token;
    const lim = await connected(url, limited);
    const all = await connected(url, admin);
    for (const c of [lim, all]) {
      await c.emitWithAck("subscribe", {});
      await c.emitWithAck("events:subscribe", {});
    }
    await Promise.all([tmux.type(alpha, "echo visible-alpha"), tmux.type(secret, "echo hidden-secret")]);
    await tmux.split(secret);
    await until(() => JSON.stringify(all.batches).includes("hidden-secret") && JSON.stringify(lim.batches).includes("visible-alpha"), "both clients' updates");
    await until(() => all.batches.some((b) => b.topology && JSON.stringify(b.topology).split(`"sessionName":"secret"`).length > 2), "the split seen by the unlimited client");
    const seen = JSON.stringify(lim.batches);
    expect(seen).not.toContain("hidden-secret");
    expect(seen).not.toContain(`"secret"`);
    expect(seen).not.toContain(secret);
  });
});
