import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendToPane } from "../../lib/panes/sender.ts";
import { TmuxRuntime } from "../../lib/tmux/runtime.ts";
import { TestTmux, until } from "../helpers/tmux.ts";

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
