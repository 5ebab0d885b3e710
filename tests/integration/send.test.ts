import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendToPane } from "../../lib/panes/sender.ts";
import { TmuxRuntime } from "../../lib/tmux/runtime.ts";
import { client, startPanecast } from "../helpers/server.ts";
import { freshName, TestTmux, until } from "../helpers/tmux.ts";

const tmux = new TestTmux();
let runtime: TmuxRuntime;
let shell: string;

beforeAll(async () => {
  shell = await tmux.newSession("typing");
  runtime = new TmuxRuntime({ socketName: tmux.socketName });
  await until(async () => (await tmux.capture(shell)).includes("$"), "the prompt");
});

afterAll(async () => {
  await runtime.close();
  await tmux.kill();
});

describe("typing to a pane", () => {
  it("clears the line, types the text literally, sees it land, then presses Enter", async () => {
    await tmux.tmux("send-keys", "-t", shell, "-l", "leftover junk");
    const r = await sendToPane(runtime, { pane: shell, text: "echo typed-$((20+22)) ';' $(echo ok)", enter: true });
    expect(r).toMatchObject({ verified: true, attempts: 1, enterSent: true });
    await until(async () => (await tmux.capture(shell)).includes("typed-42 ; ok"), "the command's output");
    expect(await tmux.capture(shell)).not.toContain("leftover junk");
  });

  it("pastes several lines as one bracketed paste: both commands run on Enter", async () => {
    const r = await sendToPane(runtime, { pane: shell, text: "echo first-$((1+1))\necho second-$((2+2))", enter: true });
    expect(r).toMatchObject({ verified: true, enterSent: true });
    await until(async () => {
      const lines = (await tmux.capture(shell)).split("\n");
      return lines.includes("first-2") && lines.includes("second-4");
    }, "both pasted commands' output");
  });

  it("sends allowed keys and refuses others", async () => {
    await tmux.tmux("send-keys", "-t", shell, "-l", "sleep 30");
    await tmux.tmux("send-keys", "-t", shell, "Enter");
    const r = await sendToPane(runtime, { pane: shell, keys: ["C-c"] });
    expect(r).toMatchObject({ keysSent: 1, verified: true, attempts: 0 });
    await until(async () => (await tmux.capture(shell)).trimEnd().endsWith("$"), "the prompt back after C-c");
    await expect(sendToPane(runtime, { pane: shell, keys: ["C-b" as never] })).rejects.toMatchObject({ code: "INVALID_TARGET" });
  });

  it("reports text that never shows up, and then does not press Enter", async () => {
    // A pane whose program does not echo what is typed: the text cannot be seen landing.
    const silent = await tmux.split(shell, "bash -c 'stty -echo; exec cat > /dev/null'");
    // Only once cat runs has echo been turned off.
    await until(async () => (await tmux.tmux("display-message", "-p", "-t", silent, "#{pane_current_command}")).trim() === "cat", "cat running");
    const r = await sendToPane(runtime, { pane: silent, text: "invisible", enter: true }, { verifyTimeoutMs: 200 });
    expect(r).toMatchObject({ verified: false, attempts: 3, enterSent: false });
  });

  it("refuses unknown panes and malformed targets before typing anything", async () => {
    await expect(sendToPane(runtime, { pane: "%4242", text: "x" })).rejects.toMatchObject({ code: "PANE_NOT_FOUND" });
    await expect(sendToPane(runtime, { pane: "%1;kill-server", text: "x" })).rejects.toMatchObject({ code: "INVALID_TARGET" });
    expect((await tmux.tmux("list-sessions", "-F", "#{session_name}")).trim()).toBe("typing");
  });
});

describe("text is typed literally", () => {
  it("refuses control characters in text (BAD_REQUEST) and types nothing", async () => {
    const pane = await tmux.newSession(freshName("controls"), { command: "cat" });
    await until(async () => (await tmux.tmux("display-message", "-p", "-t", pane, "#{pane_current_command}")).trim() === "cat", "cat running");
    await sendToPane(runtime, { pane, text: "marker-line", enter: true });
    await until(async () => (await tmux.capture(pane)).split("\n").filter((l) => l === "marker-line").length === 2, "the marker echoed");
    const before = await tmux.capture(pane);
    const attacks = ["\x03", "rm -rf x\r", "ok\x1b[201~\nrun-this", "\x1b", "a\tb", "x\x7f", "y\u009b2J", "\x00", "\r\n\x04"];
    for (const text of attacks) {
      await expect(sendToPane(runtime, { pane, text, enter: true }), JSON.stringify(text)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    }
    expect(await tmux.capture(pane)).toBe(before);
    // Tabs and Windows line endings are fine inside a multi-line paste.
    const r = await sendToPane(runtime, { pane, text: "col1\tcol2\r\nlast-line" });
    expect(r.verified).toBe(true);
  });

  it("types text ending in ';' or '\\;' exactly (tmux would read a trailing ';' as a separator)", async () => {
    const pane = await tmux.newSession(freshName("semicolons"), { command: "cat" });
    await until(async () => (await tmux.tmux("display-message", "-p", "-t", pane, "#{pane_current_command}")).trim() === "cat", "cat running");
    for (const text of ["semi;", "back\\;", "two;;", "back-two\\;;", "multi\nline;"]) {
      const r = await sendToPane(runtime, { pane, text, enter: true });
      expect(r, JSON.stringify(text)).toMatchObject({ verified: true, attempts: 1, enterSent: true });
      const last = text.split("\n").pop()!;
      // cat echoes each line back: the typed line and cat's copy (a fast paste may put cat's copy of
      // the line before on the same screen line, so count occurrences, not whole lines).
      await until(async () => (await tmux.capture(pane)).split(last).length - 1 >= 2, `${JSON.stringify(text)} echoed`);
    }
  });

  it("sends keys once, after the text: a retry retypes the text only", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "panecast-keys-"));
    const file = path.join(dir, "received");
    // Raw, no echo: every byte the pane gets lands in the file, visibly (^C, ^U), and none on screen.
    const pane = await tmux.newSession(freshName("raw"), { command: `bash -c 'stty raw -echo; exec cat -v > ${file}'` });
    await until(async () => (await tmux.tmux("display-message", "-p", "-t", pane, "#{pane_current_command}")).trim() === "cat", "cat running");
    const r = await sendToPane(runtime, { pane, text: "unseen", keys: ["C-c"] }, { verifyTimeoutMs: 100 });
    expect(r).toMatchObject({ verified: false, attempts: 3, keysSent: 1 });
    await until(() => readFileSync(file, "utf8").includes("^C"), "the key received");
    expect(readFileSync(file, "utf8")).toBe("^Uunseen^Uunseen^Uunseen^C");
  });
});

describe("pane:send over Socket.IO", () => {
  it("answers control characters with BAD_REQUEST, and audits whether keys and Enter were sent", async () => {
    const pane = await tmux.newSession(freshName("audited"));
    const { app, url } = await startPanecast(tmux);
    const c = await client(url);
    try {
      await c.emitWithAck("subscribe", {});
      await until(() => app.tracker.frame(pane), "the pane tracked");
      const bad = await c.emitWithAck("pane:send", { pane, text: "ls\x03", enter: true });
      expect(bad).toMatchObject({ error: { code: "BAD_REQUEST", event: "pane:send" } });
      expect("data" in (await c.emitWithAck("pane:send", { pane, keys: ["BSpace"] }))).toBe(true);
      expect("data" in (await c.emitWithAck("pane:send", { pane, text: "echo audited", enter: true }))).toBe(true);
      await app.auth.audit.flush();
      const sends = readFileSync(app.config.audit.path, "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((l) => l.event === "send");
      expect(sends.map((l) => ({ keys: l.keys, enter: l.enter, outcome: l.outcome }))).toEqual([
        { keys: ["BSpace"], enter: false, outcome: "delivered" },
        { keys: [], enter: true, outcome: "delivered" },
      ]);
    } finally {
      c.close();
      await app.close();
    }
  });

  it("refuses text with a line break without multiline: true (MULTILINE_NOT_CONFIRMED), typing nothing; with it, sends and audits it as possibly run", async () => {
    const pane = await tmux.newSession(freshName("multiline"));
    const { app, url } = await startPanecast(tmux);
    const c = await client(url);
    try {
      await c.emitWithAck("subscribe", {});
      await until(() => app.tracker.frame(pane), "the pane tracked");
      // A plain shell never asks for bracketed paste: the first line runs as soon as it arrives.
      const refused = await c.emitWithAck("pane:send", { pane, text: "echo ran-$((6*7))\necho second" });
      expect(refused).toMatchObject({ error: { code: "MULTILINE_NOT_CONFIRMED", event: "pane:send" } });
      await c.emitWithAck("pane:send", { pane, text: "echo marker-$((1+1))", enter: true });
      await until(async () => (await tmux.capture(pane)).includes("marker-2\n"), "the marker ran");
      expect(await tmux.capture(pane)).not.toContain("ran-42");
      const sent = await c.emitWithAck("pane:send", { pane, text: "echo ran-$((6*7))\necho second", multiline: true });
      expect("data" in sent).toBe(true);
      await app.auth.audit.flush();
      const sends = readFileSync(app.config.audit.path, "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((l) => l.event === "send");
      expect(sends).toHaveLength(2);
      expect(sends[1]).toMatchObject({ enter: false, detail: expect.stringMatching(/may have run/) });
      expect(sends[0]!.detail).toBeUndefined();
    } finally {
      c.close();
      await app.close();
    }
  });
});
