import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PanecastApp } from "../../lib/app.ts";
import { FleetConnection } from "../../lib/client/connection.ts";
import { FleetMirror } from "../../lib/client/mirror.ts";
import type { DocPayload } from "../../lib/protocol.ts";
import { startPanecast } from "../helpers/server.ts";
import { TestTmux, until } from "../helpers/tmux.ts";

const tmux = new TestTmux();
let app: PanecastApp;
let url: string;
let shell: string;
let dir: string;
let report: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "panecast-header-"));
  report = path.join(dir, "report.md");
  writeFileSync(report, "# Report\n\nv1\n");
  const cfg = path.join(dir, "panecast.yaml");
  writeFileSync(cfg, `dashboards:\n  - { name: report, path: ${JSON.stringify(report)} }\n`);
  shell = await tmux.newSession("shells");
  ({ app, url } = await startPanecast(tmux, ["--config", cfg]));
});

afterAll(async () => {
  await app?.close();
  await tmux.kill();
  rmSync(dir, { recursive: true, force: true });
});

const text = (p: DocPayload | undefined) => (p?.kind === "markdown" && p.doc.state === "ok" ? p.doc.raw : "");

describe("a connection that follows no pane (the document pages' header)", () => {
  it("gets the sessions, events and its document, never a screen, and follows the document again after a reconnect", async () => {
    const conn = new FleetConnection(new FleetMirror(), { url, panes: false, transports: ["websocket"], backoff: { minMs: 50, maxMs: 200 } });
    const docs: DocPayload[] = [];
    conn.watchDoc("report", (p) => docs.push(p));
    conn.start();
    try {
      await until(() => conn.status.state === "live", "live");
      expect(text(docs.at(-1))).toContain("v1");
      await until(() => conn.state.sessionList.some((s) => s.name === "shells"), "the sessions push");

      await tmux.tmux("new-session", "-d", "-s", "later");
      await until(() => conn.state.events.some((e) => e.type === "session.created" && e.session === "later"), "the event");
      await until(() => conn.state.sessionList.some((s) => s.name === "later"), "the new session listed");

      await tmux.type(shell, "echo printed-while-watching");
      await until(() => app.tracker.frame(shell)?.lines.some((l) => l.includes("printed-while-watching")), "the server has the new screen");
      // A batch that comes after the screen's update: any screen sent would be here by now.
      await tmux.tmux("new-session", "-d", "-s", "after-print");
      await until(() => conn.state.events.some((e) => e.type === "session.created" && e.session === "after-print"), "a later event");
      expect(conn.mirror.topology.sessions).toEqual([]);
      expect(conn.mirror.pane(shell)).toBeUndefined();

      // The server drops the connection; after the reconnect the document is followed again.
      for (const s of app.io.of("/").sockets.values()) s.disconnect(true);
      await until(() => conn.status.state !== "live", "the drop noticed");
      await until(() => conn.status.state === "live", "live again");
      writeFileSync(report, "# Report\n\nv2 after the drop\n");
      await until(() => text(docs.at(-1)).includes("v2 after the drop"), "the change after the reconnect");
      expect(conn.mirror.pane(shell)).toBeUndefined();
    } finally {
      conn.stop();
    }
  });

  it("a connection that follows the panes does get the screens (the check above could fail)", async () => {
    const conn = new FleetConnection(new FleetMirror(), { url, transports: ["websocket"] });
    conn.start();
    try {
      await until(() => conn.mirror.pane(shell), "the shell's screen");
    } finally {
      conn.stop();
    }
  });
});
