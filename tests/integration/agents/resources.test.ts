import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PanecastApp } from "../../../lib/app.ts";
import { client, startPanecast, type TestClient } from "../../helpers/server.ts";
import { TestTmux, until } from "../../helpers/tmux.ts";

const tmux = new TestTmux();
let app: PanecastApp;
let url: string;
let a: string;
let b: string;
const open: TestClient[] = [];

beforeAll(async () => {
  a = await tmux.newSession("alpha");
  b = await tmux.newSession("beta");
  ({ app, url } = await startPanecast(tmux));
  await until(() => app.tracker.pane(a) && app.tracker.pane(b), "both panes tracked");
});

afterAll(async () => {
  for (const c of open) c.close();
  await app?.close();
  await tmux.kill();
});

describe("resource sampling follows what clients can see", () => {
  it("samples only the panes the connected clients subscribed to, and stops with the last client", async () => {
    const r = app.awareness.resources;
    expect(r.running).toBe(false);
    expect((await r.sample()).panes).toEqual({});
    const c = await client(url);
    open.push(c);
    const sub = await c.emitWithAck("subscribe", { filter: { sessions: ["alpha"] } });
    expect("data" in sub).toBe(true);
    expect(r.running).toBe(true);
    const only = await r.sample();
    expect(Object.keys(only.panes)).toEqual([a]);
    // A second client that watches everything widens what is sampled.
    const d = await client(url);
    open.push(d);
    await d.emitWithAck("subscribe", {});
    expect(Object.keys((await r.sample()).panes).sort()).toEqual([a, b].sort());
    d.close();
    c.close();
    await until(() => app.hub.clientCount === 0, "both clients gone");
    expect(r.running).toBe(false);
    const trees = r.stats.trees;
    expect((await r.sample()).panes).toEqual({});
    expect(r.stats.trees).toBe(trees);
  });
});
