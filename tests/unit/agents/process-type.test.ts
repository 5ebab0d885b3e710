import { describe, expect, it } from "vitest";
import { agentTypeOfProcess, paneLabel } from "../../../lib/topology.ts";

describe("agent type from the foreground process", () => {
  it.each([
    [["node", "/usr/lib/node_modules/@openai/codex/bin/codex.js"], "", "codex"],
    [["node", "/home/u/.npm-global/bin/gemini"], "", "gemini"],
    [["node", "--max-old-space-size=8192", "/usr/lib/node_modules/@google/gemini-cli/dist/index.js"], "", "gemini"],
    [["/home/u/.local/share/claude/versions/2.1.197"], "2.1.197", "claude"],
    [["claude", "--resume"], "2.1.197", "claude"],
    [["node", "/usr/lib/node_modules/@anthropic-ai/claude-code/cli.js"], "", "claude"],
    [["/usr/lib/node_modules/opencode-ai/bin/opencode.exe"], "", "opencode"],
    [["node", "/usr/lib/node_modules/@github/copilot/npm-loader.js"], "", "copilot"],
    [["node", "/usr/lib/node_modules/@qwen-code/qwen-code/cli-entry.js"], "", "qwen"],
    [["/usr/lib/node_modules/cline/bin/cline"], "", "cline"],
    // As the harness saw them run: the platform packages' binaries, started directly or by their
    // wrappers (Copilot's binary names its main thread "MainThread").
    [["/home/u/.cache/panecast/agent-clis/opencode-1.18.33/node_modules/opencode-linux-x64/bin/opencode"], "opencode", "opencode"],
    [["/home/u/.cache/panecast/agent-clis/copilot-1.0.102/node_modules/@github/copilot-linux-x64/copilot", "--allow-tool", "shell(ls)"], "MainThread", "copilot"],
    [["/home/u/.cache/panecast/agent-clis/cline-3.0.65/node_modules/@cline/cli-linux-x64/bin/cline", "-i", "--auto-approve", "false"], "cline", "cline"],
    [["/usr/bin/node", "/home/u/.cache/panecast/agent-clis/qwen-0.24.4/node_modules/@qwen-code/qwen-code/cli-entry.js"], "node", "qwen"],
    [["node", "/usr/lib/node_modules/@charmland/crush/run-crush.js"], "", "crush"],
    [["/home/u/.local/share/uv/tools/aider-chat/bin/python", "/home/u/.local/bin/aider"], "", "aider"],
    [["python3", "-m", "aider", "--model", "x"], "", "aider"],
    [["npx", "@openai/codex@0.171.0"], "", "codex"],
    [["-bash"], "bash", "shell"],
    [["top"], "top", "other"],
    [["node", "/home/u/app/server.js"], "", "other"],
  ])("%j → %s", (argv, comm, type) => {
    expect(agentTypeOfProcess(argv, comm)).toBe(type);
  });
});

describe("card titles", () => {
  const p = { agentId: null, agentType: "codex" as const, cwd: "/home/u/work/api", sessionName: "s", windowIndex: 0, index: 1 };
  it("are @agent_id, else the agent type and the work tree's name, never the pane title", () => {
    expect(paneLabel({ ...p, agentId: "karo" })).toBe("karo");
    expect(paneLabel(p)).toBe("codex · api");
    expect(paneLabel(p, "/home/u/work/repo")).toBe("codex · repo");
    expect(paneLabel({ ...p, cwd: "" })).toBe("codex · s:0.1");
  });
});
