import { describe, expect, it } from "vitest";
import { parsePaneTarget, paneTargetArg } from "../../../lib/tmux/target.ts";

describe("pane targets", () => {
  it("accepts pane ids and session:window.pane", () => {
    expect(paneTargetArg(parsePaneTarget("%12"))).toBe("%12");
    expect(paneTargetArg(parsePaneTarget("multiagent:0.3"))).toBe("=multiagent:0.3");
    expect(paneTargetArg(parsePaneTarget("$1:@2.0"))).toBe("$1:@2.0");
  });

  it.each(["%1;kill-server", "$(reboot)", "../../etc/passwd", "a:b", "%", "", "s:0.0;x", "s:0.0 -t x", "#{pane_id}", "x".repeat(200), "-t"])(
    "rejects %j before tmux runs",
    (bad) => {
      expect(() => parsePaneTarget(bad)).toThrow(expect.objectContaining({ code: "INVALID_TARGET" }));
    },
  );

  it("rejects non-strings", () => {
    for (const bad of [null, 3, {}, ["%1"]]) expect(() => parsePaneTarget(bad)).toThrow(/invalid pane target/);
  });
});
