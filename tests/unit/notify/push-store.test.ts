import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PushStore } from "../../../lib/notify/push-store.ts";

const keys = { p256dh: "B".repeat(87), auth: "a".repeat(22) };
const store = (perToken = 10) => new PushStore(path.join(mkdtempSync(path.join(tmpdir(), "panecast-push-store-")), "push-subscriptions.json"), { perToken });

describe("PushStore", () => {
  it("keys a subscription by token and endpoint: a second token posting another's endpoint cannot take it over or remove it", () => {
    const s = store();
    s.add("token-a", { endpoint: "https://push.example/x", keys });
    s.add("token-b", { endpoint: "https://push.example/x", keys: { ...keys, auth: "b".repeat(22) } });
    expect(s.list().map((e) => [e.tokenId, e.keys.auth])).toEqual([
      ["token-a", "a".repeat(22)],
      ["token-b", "b".repeat(22)],
    ]);
    expect(s.remove("token-b", "https://push.example/x")).toBe(true);
    expect(s.list().map((e) => e.tokenId)).toEqual(["token-a"]);
    expect(s.remove("token-b", "https://push.example/x")).toBe(false);
  });

  it("renews a token's own entry in place, keeps at most perToken per token, and survives a reload", () => {
    const s = store(2);
    for (const n of [1, 2, 3]) s.add("t", { endpoint: `https://push.example/${n}`, keys });
    s.add("t", { endpoint: "https://push.example/3", keys });
    expect(s.list().map((e) => e.endpoint)).toEqual(["https://push.example/2", "https://push.example/3"]);
    expect(new PushStore(s.file, { perToken: 2 }).list()).toEqual(s.list());
  });

  it("drops an endpoint the push service called gone, whoever's it was", () => {
    const s = store();
    s.add("a", { endpoint: "https://push.example/gone", keys });
    s.add("b", { endpoint: "https://push.example/gone", keys });
    s.add("b", { endpoint: "https://push.example/kept", keys });
    s.drop("https://push.example/gone");
    expect(s.list().map((e) => e.endpoint)).toEqual(["https://push.example/kept"]);
  });
});
