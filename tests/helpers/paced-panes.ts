import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { stripAnsi } from "../../lib/ansi.ts";
import { FleetConnection } from "../../lib/client/connection.ts";
import { FleetMirror } from "../../lib/client/mirror.ts";
import { startPanecast } from "./server.ts";
import { freshName, TestTmux, until } from "./tmux.ts";

/**
 * Two panes of a fresh tmux server, panecast watching them with `watch.busy_interval_ms: busyMs`, and
 * the real client live with both: the fixture of the read-pace tests. What it starts is pushed on
 * `cleanup` in start order (run it in reverse: clients, then panecast, then the tmux server).
 */
export async function startPacedPanes(busyMs: number, tag: string, cleanup: Array<() => Promise<void> | void>) {
  const tmux = new TestTmux();
  cleanup.push(() => tmux.kill());
  const first = await tmux.newSession(freshName(tag));
  const second = await tmux.split(first);
  const config = path.join(mkdtempSync(path.join(tmpdir(), `panecast-${tag}-`)), "panecast.yaml");
  writeFileSync(config, `watch:\n  busy_interval_ms: ${busyMs}\n`);
  const { app, url } = await startPanecast(tmux, ["--config", config]);
  cleanup.push(() => app.close());
  const conn = new FleetConnection(new FleetMirror(), { url, transports: ["websocket"], backoff: { minMs: 50, maxMs: 300 } });
  conn.start();
  cleanup.push(() => conn.stop());
  await until(() => conn.status.state === "live" && conn.mirror.pane(first) && conn.mirror.pane(second), "the client live with both panes");
  return { tmux, app, first, second, conn };
}

/** A pane's screen as the client holds it, without colours. */
export const mirroredText = (conn: FleetConnection, pane: string): string => stripAnsi(conn.mirror.pane(pane)?.lines.join("\n") ?? "");
