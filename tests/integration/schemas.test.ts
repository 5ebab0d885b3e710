import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PanecastApp } from "../../lib/app.ts";
import { unpackBatch } from "../../lib/client/batch.ts";
import type { Batch } from "../../lib/protocol.ts";
import { ACK_RESULTS, SERVER_EVENTS } from "../../lib/protocol/payloads.ts";
import { client, startPanecast, type TestClient } from "../helpers/server.ts";
import { TestTmux, until } from "../helpers/tmux.ts";

const tmux = new TestTmux();
const dir = mkdtempSync(path.join(tmpdir(), "panecast-schemas-"));
let app: PanecastApp;
let url: string;
let c: TestClient;
const received: Array<[string, unknown]> = [];
/** The items of every batch received, by their protocol 1 names. */
const items: Array<[string, unknown]> = [];

beforeAll(async () => {
  writeFileSync(path.join(dir, "d.md"), "# hi\n");
  writeFileSync(path.join(dir, "cfg.yaml"), "alerts:\n  min_interval_ms: 0\nresources:\n  interval_ms: 500\n");
  await tmux.newSession("base");
  ({ app, url } = await startPanecast(tmux, ["--config", path.join(dir, "cfg.yaml"), "--dashboard", `d=${path.join(dir, "d.md")}`, "--history", path.join(dir, "h.yaml")]));
  c = await client(url);
  c.onAny((event: string, payload: unknown) => {
    received.push([event, payload]);
    if (event === "batch") items.push(...unpackBatch(payload as Batch));
  });
  received.push(["hello", await c.hello]);
});

afterAll(async () => {
  c?.close();
  await app?.close();
  await tmux.kill();
});

describe("live payloads match the documented schemas", () => {
  it("every event and ack a real server sends validates against its JSON Schema source", async () => {
    const acks: Array<[keyof typeof ACK_RESULTS, unknown]> = [];
    const ack = async (event: keyof typeof ACK_RESULTS, payload: unknown) => {
      const r = (await (c as unknown as { emitWithAck(e: string, p: unknown): Promise<{ data?: unknown; error?: unknown }> }).emitWithAck(event, payload));
      expect(r.error, `${event} failed`).toBeUndefined();
      acks.push([event, r.data]);
    };
    await ack("subscribe", {});
    await ack("events:subscribe", {});
    await ack("doc:subscribe", { name: "d" });
    await ack("doc:subscribe", { name: "history" });
    const pane = (await tmux.tmux("new-session", "-d", "-s", "agent", "-x", "100", "-y", "30", "-P", "-F", "#{pane_id}", process.execPath, path.resolve("demo/agent.mjs"), "schemer", "--script", "work:300,ask,idle")).trim();
    await until(() => items.some(([e, p]) => e === "pane:alert" && (p as { pane: string }).pane === pane), "an alert");
    await ack("pane:history", { pane, lines: 10 });
    await ack("pane:resync", { pane });
    await ack("pane:send", { pane, text: "1", enter: true });
    await ack("topology:get", {});
    await ack("git:refresh", {});
    writeFileSync(path.join(dir, "d.md"), "# changed\n");
    await until(() => items.some(([e]) => e === "doc:updated"), "a doc update");
    await until(() => items.some(([e]) => e === "resources:updated"), "a resources sample");
    await tmux.tmux("kill-session", "-t", "=agent");
    await until(() => items.some(([e]) => e === "pane:removed"), "a removed pane");

    expect(new Set(received.map(([e]) => e))).toEqual(new Set(["hello", "batch"]));
    const kinds = new Set(items.map(([e]) => e));
    for (const e of ["sessions", "topology:updated", "pane:updated", "pane:removed", "agent:status", "pane:alert", "event", "resources:updated", "doc:updated"]) {
      expect(kinds, e).toContain(e);
    }
    for (const [event, payload] of received) {
      const schema = SERVER_EVENTS[event as keyof typeof SERVER_EVENTS];
      expect(schema, `no schema for ${event}`).toBeDefined();
      const r = schema.safeParse(payload);
      expect(r.success, `${event}: ${r.success ? "" : JSON.stringify(r.error.issues[0])}`).toBe(true);
    }
    for (const [event, data] of acks) {
      const r = ACK_RESULTS[event].safeParse(data);
      expect(r.success, `${event} ack: ${r.success ? "" : JSON.stringify(r.error.issues[0])}`).toBe(true);
    }
  });
});
