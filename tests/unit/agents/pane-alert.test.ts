import { describe, expect, it } from "vitest";
import { paneAlert } from "../../../lib/agents/pane-alert.ts";
import type { PaneInfo } from "../../../lib/protocol.ts";

const info = (agentId: string | null): PaneInfo =>
  ({ id: "%3", sessionName: "api", windowIndex: 1, index: 2, agentId }) as unknown as PaneInfo;

describe("paneAlert", () => {
  it("names the agent by its id, else by its tmux address, and says what happened", () => {
    const at = Date.parse("2026-12-02T10:00:00Z");
    expect(paneAlert("%3", info("builder"), "waiting-for-input", null, null, at)).toMatchObject({ kind: "waiting-for-input", pane: "%3", session: "api", window: 1, agentId: "builder", message: "builder is waiting for input", line: null, at: "2026-12-02T10:00:00.000Z" });
    expect(paneAlert("%3", info(null), "exited", null, null, at).message).toBe("api:1.2 exited");
    expect(paneAlert("%3", info(null), "critical", "FATAL: disk full", null, at).message).toBe("api:1.2: FATAL: disk full");
  });

  it("keeps at most 500 characters of the line, and gives each alert its own id", () => {
    const a = paneAlert("%3", info(null), "critical", "x".repeat(2000), null, 0);
    const b = paneAlert("%3", info(null), "critical", "x", null, 0);
    expect(a.line).toHaveLength(500);
    expect(a.id).not.toBe(b.id);
  });
});
