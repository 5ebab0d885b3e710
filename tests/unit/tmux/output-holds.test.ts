import { describe, expect, it } from "vitest";
import { OutputHolds, type HoldingClient } from "../../../lib/tmux/output-holds.ts";

class Client implements HoldingClient {
  readonly asked: string[] = [];
  hold(pane: string): void {
    this.asked.push(`hold ${pane}`);
  }
  release(pane: string): void {
    this.asked.push(`release ${pane}`);
  }
}

describe("OutputHolds", () => {
  it("asks every client a pane's output came through, and none after it closed or the pane went away", () => {
    const holds = new OutputHolds<Client>();
    const [a, b] = [new Client(), new Client()];
    holds.reported("%1", a);
    holds.reported("%1", b);
    holds.reported("%1", a);
    holds.reported("%2", b);
    holds.hold("%1");
    holds.hold("%3");
    expect([a.asked, b.asked]).toEqual([["hold %1"], ["hold %1"]]);
    holds.drop(b);
    holds.release("%1");
    holds.hold("%2");
    expect([a.asked, b.asked]).toEqual([["hold %1", "release %1"], ["hold %1"]]);
    expect(holds.size).toBe(1);
    holds.forget("%1");
    holds.hold("%1");
    expect(a.asked).toEqual(["hold %1", "release %1", "release %1"]);
    expect(holds.size).toBe(0);
  });

  it("remembers a bounded number of panes, dropping the oldest", () => {
    const holds = new OutputHolds<Client>();
    const c = new Client();
    for (let i = 0; i <= 10_000; i++) holds.reported(`%${i}`, c);
    expect(holds.size).toBe(10_000);
    holds.hold("%0");
    holds.hold("%10000");
    expect(c.asked).toEqual(["hold %10000"]);
  });
});
