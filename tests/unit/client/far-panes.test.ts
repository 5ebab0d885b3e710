import { describe, expect, it, vi } from "vitest";
import { FarPanes } from "../../../lib/client/far-panes.ts";

describe("FarPanes", () => {
  it("calls a pane far only when every view of it is, and reports each change once", async () => {
    const reports: string[][] = [];
    const far = new FarPanes((list) => reports.push(list), 5);
    const card1 = far.watch("%1", false);
    const card2 = far.watch("%2", true);
    await vi.waitFor(() => expect(reports).toEqual([["%1"]]));
    const focused = far.watch("%1", true);
    card2.set(false);
    await vi.waitFor(() => expect(reports).toEqual([["%1"], ["%2"]]));
    focused.done();
    card1.done();
    card2.set(false);
    await vi.waitFor(() => expect(reports).toEqual([["%1"], ["%2"]]));
    expect(far.list()).toEqual(["%2"]);
    far.stop();
  });
});
