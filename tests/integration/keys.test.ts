import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PanecastApp } from "../../lib/app.ts";
import { sendInput } from "../../lib/panes/keyboard.ts";
import type { Ack } from "../../lib/protocol.ts";
import { TmuxRuntime } from "../../lib/tmux/runtime.ts";
import { startWithAuth } from "../helpers/auth.ts";
import { client, type TestClient } from "../helpers/server.ts";
import { TestTmux, until } from "../helpers/tmux.ts";

const tmux = new TestTmux();
let runtime: TmuxRuntime;
let app: PanecastApp;
let url: string;
let auditFile: string;
const open: TestClient[] = [];

/** A pane that writes every byte it gets to a file, visibly (`cat -v`), having asked for bracketed paste. */
async function recorder(session: string): Promise<{ pane: string; received: () => string }> {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "panecast-keyboard-")), "received");
  const pane = await tmux.newSession(session, { command: `bash -c 'stty raw -echo; printf "\\033[?2004h"; exec cat -v > ${file}'` });
  await until(async () => (await tmux.tmux("display-message", "-p", "-t", pane, "#{pane_current_command}")).trim() === "cat", "cat running");
  return { pane, received: () => readFileSync(file, "utf8") };
}

beforeAll(async () => {
  runtime = new TmuxRuntime({ socketName: tmux.socketName });
  await tmux.newSession("other");
  // 60 a minute: a burst of 10 steps, then one a second.
  const s = await startWithAuth(tmux, "limits:\n  keys_per_minute: 60\n");
  ({ app, url } = s);
  auditFile = s.audit;
});

afterAll(async () => {
  for (const c of open) c.close();
  await app?.close();
  await runtime.close();
  await tmux.kill();
});

async function as(role: "viewer" | "operator" | "admin", sessions?: string[]): Promise<TestClient> {
  const token = app.auth.tokens!.create({ name: `k${open.length}`, role, ...(sessions ? { sessions } : {}) }).token;
  const c = await client(url, { token });
  open.push(c);
  await c.emitWithAck("subscribe", {});
  return c;
}

type Raw = { emitWithAck(e: string, p: unknown): Promise<Ack<unknown>> };
const keys = (c: TestClient, req: unknown) => (c as unknown as Raw).emitWithAck("pane:keys", req);

function auditLines(): Array<Record<string, unknown>> {
  return readFileSync(auditFile, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe("keyboard input to a pane", () => {
  it("sends tmux key names as the terminal's bytes, text literally and a paste bracketed", async () => {
    const { pane, received } = await recorder("bytes");
    const sent = await sendInput(runtime, pane, [{ key: "BTab" }, { key: "F5" }, { key: "C-r" }, { key: "M-x" }, { key: "PPage" }, { key: "Home" }, { text: "hi;" }, { paste: "a\nb" }, { key: "S-Up" }]);
    expect(sent).toBe(9);
    await until(() => received().endsWith("^[[1;2A"), "the last key received");
    expect(received()).toBe("^[[Z^[[15~^R^[x^[[5~^[[1~hi;^[[200~a^Mb^[[201~^[[1;2A");
  });

  it("refuses an unknown pane and a malformed target before typing anything", async () => {
    await expect(sendInput(runtime, "%4242", [{ key: "Enter" }])).rejects.toMatchObject({ code: "PANE_NOT_FOUND" });
    await expect(sendInput(runtime, "%1;kill-server", [{ key: "Enter" }])).rejects.toMatchObject({ code: "INVALID_TARGET" });
  });
});

describe("pane:keys over Socket.IO", () => {
  it("types for an operator; a viewer is refused (FORBIDDEN) and a token limited to other sessions learns nothing (PANE_NOT_FOUND)", async () => {
    const { pane, received } = await recorder("roles");
    await until(() => app.tracker.frame(pane), "the pane tracked");
    const viewer = await as("viewer");
    expect(await keys(viewer, { pane, input: [{ key: "F1" }] })).toMatchObject({ error: { code: "FORBIDDEN", event: "pane:keys" } });
    const elsewhere = await as("operator", ["other"]);
    expect(await keys(elsewhere, { pane, input: [{ key: "F1" }] })).toMatchObject({ error: { code: "PANE_NOT_FOUND" } });
    const op = await as("operator", ["roles"]);
    expect(await keys(op, { pane, input: [{ key: "F2" }, { text: "ok" }] })).toEqual({ data: { sent: 2 } });
    await until(() => received().includes("ok"), "the operator's keys");
    expect(received()).toBe("^[OQok");
  });

  it("refuses keys outside the grammar and control characters in text (BAD_REQUEST), typing nothing", async () => {
    const { pane, received } = await recorder("grammar");
    await until(() => app.tracker.frame(pane), "the pane tracked");
    const op = await as("admin");
    const bad = [
      { pane, input: [{ key: "C-C-c" }] },
      { pane, input: [{ key: "F13" }] },
      { pane, input: [{ key: ";" }] },
      { pane, input: [{ key: "send-keys" }] },
      { pane, input: [{ key: "Enter kill-server" }] },
      { pane, input: [{ text: "\x1b[201~" }] },
      { pane, input: [{ text: "run\r" }] },
      { pane, input: [{ paste: "x\x03" }] },
      { pane, input: [] },
      { pane, input: Array.from({ length: 65 }, () => ({ key: "Up" })) },
      { pane, input: [{ key: "Up", text: "x" }] },
      { pane: "%1;kill-server", input: [{ key: "Up" }] },
    ];
    for (const req of bad) expect(await keys(op, req), JSON.stringify(req).slice(0, 80)).toMatchObject({ error: { code: "BAD_REQUEST" } });
    expect(await keys(op, { pane, input: [{ key: "M-S-Left" }, { key: "C-M-a" }, { key: "F12" }] })).toEqual({ data: { sent: 3 } });
    await until(() => received().endsWith("^[[24~"), "the allowed keys");
    expect(received()).toBe("^[[1;4D^[^A^[[24~");
  });

  it("rate-limits steps per token (a batch is refused whole) and audits a burst of typing as one line", async () => {
    const { pane, received } = await recorder("limited");
    await until(() => app.tracker.frame(pane), "the pane tracked");
    const op = await as("operator");
    // The burst is 10 steps: 4 + 4 pass, the next 4 are refused whole.
    expect(await keys(op, { pane, input: [{ key: "Up" }, { key: "Down" }, { text: "ab" }, { key: "F5" }] })).toEqual({ data: { sent: 4 } });
    expect(await keys(op, { pane, input: [{ key: "Up" }, { key: "Up" }, { key: "Up" }, { paste: "p" }] })).toEqual({ data: { sent: 4 } });
    expect(await keys(op, { pane, input: [{ key: "Up" }, { key: "Up" }, { key: "Up" }, { key: "Up" }] })).toMatchObject({ error: { code: "RATE_LIMITED" } });
    await until(() => received().endsWith("^[[201~"), "the paste");
    expect(received()).toBe("^[[A^[[Bab^[[15~^[[A^[[A^[[A^[[200~p^[[201~");
    op.close();
    await until(async () => {
      await app.auth.audit.flush();
      return auditLines().find((l) => l.event === "keys" && l.target === pane);
    }, "the batch's audit line");
    const lines = auditLines().filter((l) => l.event === "keys" && l.target === pane);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ role: "operator", count: 8, bytes: 3, outcome: "delivered", keys: ["Up", "Down", "(text)", "F5", "Up", "Up", "Up", "(paste)"] });
    expect(lines[0]).not.toHaveProperty("content");
  });
});
