import { describe, expect, it } from "vitest";
import { LOCAL_PANE_ID, NODE_NAME, PANE_ID, SESSION_GLOB, SESSION_NAME, SESSION_REF, WINDOW_ID } from "../../../lib/protocol/ids.ts";
import { resolvePane } from "../../../cli/pane-target.ts";
import { isPaneId } from "../../../lib/tmux/target.ts";

describe("wire ids", () => {
  it("a pane id is tmux's own, or carries its node in a cluster", () => {
    for (const ok of ["%0", "%3", "%1234567", "beta/%3", "node-1.lan/%12"]) expect(PANE_ID.test(ok), ok).toBe(true);
    for (const bad of ["%", "3", "%12345678", "/%3", "be ta/%3", "%3;kill", "beta/%3/x", "$1", "@2"]) expect(PANE_ID.test(bad), bad).toBe(false);
    expect(LOCAL_PANE_ID.test("beta/%3")).toBe(false);
  });

  it("every reader of a pane id takes the same ones", () => {
    const topo = { sessions: [] };
    for (const id of ["%3", "%1234567", "%12345678", "beta/%3", "node.lan/%3"]) {
      const wire = PANE_ID.test(id);
      expect("pane" in resolvePane(topo, id), `cli ${id}`).toBe(wire);
      if (!id.includes("/")) expect(isPaneId(id), `tmux ${id}`).toBe(wire);
    }
  });

  it("names and globs refuse anything tmux could read as syntax", () => {
    expect(SESSION_NAME.test("agents_1-b")).toBe(true);
    for (const bad of ["-x", "a:b", "a.b", "a b", "", "x".repeat(65)]) expect(SESSION_NAME.test(bad), bad).toBe(false);
    expect(SESSION_GLOB.test("agent*-?")).toBe(true);
    expect(SESSION_GLOB.test("a;b")).toBe(false);
    expect(SESSION_REF.test("beta/$1")).toBe(true);
    expect(SESSION_REF.test("agents")).toBe(true);
    expect(WINDOW_ID.test("beta/@2")).toBe(true);
    expect(NODE_NAME.test("alpha.lan")).toBe(true);
    expect(NODE_NAME.test("al/pha")).toBe(false);
  });
});
