import { describe, expect, it } from "vitest";
import { socketOptionsOf } from "../../../lib/client/socket-options.ts";

describe("socketOptionsOf", () => {
  it("connects under the base path with a token, and leaves reconnecting to the connection", () => {
    expect(socketOptionsOf({ basePath: "/panecast", token: "pc_x" })).toEqual({ path: "/panecast/socket.io", auth: { token: "pc_x" }, reconnection: false, transports: ["websocket", "polling"], tryAllTransports: true });
  });

  it("shows a signed-in page's key as it is at each attempt", () => {
    let key: string | null = "k1";
    const o = socketOptionsOf({ pageKey: () => key });
    const shown: object[] = [];
    const auth = ("auth" in o ? o.auth : null) as (cb: (d: object) => void) => void;
    auth((d) => shown.push(d));
    key = null;
    auth((d) => shown.push(d));
    expect(o.path).toBe("/socket.io");
    expect(shown).toEqual([{ page: "k1" }, { page: "" }]);
  });

  it("sends no auth without a token or a page key", () => {
    expect("auth" in socketOptionsOf({ transports: ["polling"] })).toBe(false);
  });
});
