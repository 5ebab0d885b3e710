import { describe, expect, it } from "vitest";
import { captureArgs, chunkPanes, MAX_COMMAND_BYTES, parseCapture } from "../../../lib/tmux/capture.ts";
import { parseTopology, topologyFormat } from "../../../lib/tmux/topology.ts";
import { detectAgentType, filterSessions } from "../../../lib/topology.ts";

describe("batched capture", () => {
  it("chains one display-message marker and one capture-pane per pane, as an argument array", () => {
    const args = captureArgs(["%1", "%2"], { historyLines: 100 });
    const screen = captureArgs(["%1"]);
    expect(args.filter((a) => a === "capturep")).toHaveLength(2);
    expect(args.filter((a) => a === ";")).toHaveLength(3);
    expect(args).toContain("-e");
    expect(args).toContain("-100");
    // The marker uses #{pane_id}, never a literal '%' that display-message's strftime would eat.
    const marker = args[args.indexOf("display") + 4]!;
    expect(marker.endsWith("#{pane_id}")).toBe(true);
    // A screen capture's marker carries the cursor; -N keeps trailing (coloured) cells.
    expect(screen[4]).toMatch(/#\{pane_id\} #\{cursor_x\},#\{cursor_y\},#\{cursor_flag\}$/);
    expect(screen).toContain("-N");
  });

  it("keeps each tmux command under tmux's size limit", () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `%${i + 1000}`);
    const chunks = chunkPanes(ids);
    expect(chunks.flat()).toEqual(ids);
    for (const c of chunks) expect(captureArgs(c).reduce((n, a) => n + a.length + 1, 0)).toBeLessThanOrEqual(MAX_COMMAND_BYTES);
    expect(chunkPanes(ids.slice(0, 120))).toHaveLength(1);
  });

  it("splits chained output at the markers", () => {
    const marker = captureArgs(["%1"])[4]!.replace(/#\{pane_id\}.*$/, "");
    const out = `${marker}%1\nline a\n\n${marker}%2\nb\n`;
    expect(parseCapture(out)).toEqual(
      new Map([
        ["%1", ["line a", ""]],
        ["%2", ["b"]],
      ]),
    );
  });

  it("marks the visible cursor in the line it is on, and not a hidden one", () => {
    const marker = captureArgs(["%1"])[4]!.replace(/#\{pane_id\}.*$/, "");
    // %1: cursor at column 4 of row 1, after a wide character and a colour; %2: past the end of the
    // line; %3: hidden.
    const out = `${marker}%1 4,1,1\n$ ls\nab\x1b[31m将軍x\n${marker}%2 5,0,1\nab\n${marker}%3 0,0,0\nzz\n`;
    const got = parseCapture(out);
    expect(got.get("%1")).toEqual(["$ ls", "ab\x1b[31m将\x1b[=1p軍x"]);
    expect(got.get("%2")).toEqual(["ab   \x1b[=1p"]);
    expect(got.get("%3")).toEqual(["zz"]);
  });
});

describe("topology", () => {
  const row = (f: string[]) => f.join("\u001f");
  const fields = (o: Partial<Record<string, string>>) =>
    row([
      o.sid ?? "$0", o.sname ?? "main", "1", o.wid ?? "@0", o.widx ?? "0", "win", "1", o.pid ?? "%0", o.pidx ?? "0",
      o.title ?? "host", o.cmd ?? "bash", "", "80", "24", "1", "0", "123", "/tmp", o.agent ?? "",
    ]);

  it("builds sessions, windows and panes in tmux order, with user options", () => {
    const out = [
      fields({ sid: "$1", sname: "zeta", pid: "%5" }),
      fields({ pid: "%2", pidx: "1", cmd: "node", title: "✳ Claude Code", agent: "karo" }),
      fields({ pid: "%1", pidx: "0" }),
      fields({ wid: "@3", widx: "2", pid: "%7" }),
    ].join("\n");
    const t = parseTopology(out, ["agent_id"]);
    expect(t.sessions.map((s) => s.name)).toEqual(["main", "zeta"]);
    expect(t.sessions[0]!.windows.map((w) => w.index)).toEqual([0, 2]);
    expect(t.sessions[0]!.windows[0]!.panes.map((p) => p.id)).toEqual(["%1", "%2"]);
    const karo = t.sessions[0]!.windows[0]!.panes[1]!;
    expect(karo).toMatchObject({ agentId: "karo", agentType: "claude", width: 80, height: 24, pid: 123, cwd: "/tmp" });
    expect(filterSessions(t, ["z*"]).sessions.map((s) => s.name)).toEqual(["zeta"]);
    expect(topologyFormat(["agent_id", "bad;opt"])).not.toContain("bad;opt");
  });

  it("detects agent types from command and title", () => {
    expect(detectAgentType("claude")).toBe("claude");
    expect(detectAgentType("node", "✳ Claude Code")).toBe("claude");
    expect(detectAgentType("codex")).toBe("codex");
    expect(detectAgentType("python3", "aider v0.80")).toBe("aider");
    expect(detectAgentType("gemini")).toBe("gemini");
    expect(detectAgentType("zsh")).toBe("shell");
    expect(detectAgentType("-bash")).toBe("shell");
    expect(detectAgentType("vim", "notes")).toBe("other");
  });
});
