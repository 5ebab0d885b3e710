import { describe, expect, it } from "vitest";
import type { Topology } from "../../../lib/protocol.ts";
import { resolvePane } from "../../../cli/pane-target.ts";

const pane = (id: string, index: number, agentId: string | null) => ({ id, index, agentId }) as never;
const topo = {
  sessions: [
    { name: "work", windows: [{ index: 1, panes: [pane("%3", 0, "builder"), pane("%4", 1, null)] }] },
    { name: "twin", windows: [{ index: 0, panes: [pane("%7", 0, "dup"), pane("%8", 1, "dup")] }] },
  ],
} as unknown as Topology;

describe("resolvePane", () => {
  it("takes the forms panecast status prints: a pane id, session:window.pane (with the active mark), an agent id", () => {
    expect(resolvePane(topo, "%4")).toEqual({ pane: "%4" });
    expect(resolvePane(topo, "beta/%4")).toEqual({ pane: "beta/%4" });
    expect(resolvePane(topo, "work:1.1")).toEqual({ pane: "%4" });
    expect(resolvePane(topo, "work:1.0*")).toEqual({ pane: "%3" });
    expect(resolvePane(topo, "@builder")).toEqual({ pane: "%3" });
    expect(resolvePane(topo, "builder")).toEqual({ pane: "%3" });
  });

  it("says why when a target names no pane or several", () => {
    expect(resolvePane(topo, "work:9.0")).toMatchObject({ error: expect.stringContaining("no pane work:9.0") });
    expect(resolvePane(topo, "@dup")).toMatchObject({ error: expect.stringContaining("names 2 panes (%7, %8)") });
  });
});
