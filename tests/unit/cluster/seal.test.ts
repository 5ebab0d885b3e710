import { describe, expect, it } from "vitest";
import { sealer } from "../../../lib/cluster/seal.ts";

describe("sealer", () => {
  it("encrypts with cluster.secret: opens under the same secret only, and a changed byte is refused", () => {
    const s = sealer("x".repeat(32));
    const sealed = s.seal("https://push.example/secret-endpoint");
    expect(s.encrypts).toBe(true);
    expect(sealed).not.toContain("secret-endpoint");
    expect(s.seal("same")).not.toBe(s.seal("same"));
    expect(s.open(sealed)).toBe("https://push.example/secret-endpoint");
    expect(sealer("y".repeat(32)).open(sealed)).toBeNull();
    const parts = sealed.split(".");
    parts[2] = (parts[2]![0] === "A" ? "B" : "A") + parts[2]!.slice(1);
    expect(s.open(parts.join("."))).toBeNull();
    expect(s.open("p.aGVsbG8")).toBeNull();
  });

  it("without a secret, only encodes (and says so)", () => {
    const s = sealer(null);
    expect(s.encrypts).toBe(false);
    expect(s.open(s.seal("plain"))).toBe("plain");
    expect(s.open(sealer("x".repeat(32)).seal("plain"))).toBeNull();
  });
});
