import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const UNIT = path.resolve("contrib/systemd/panecast.service");
const ANALYZE = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].find((p) => existsSync(p));

/** The unit's `Key=value` lines, per key (a key may repeat). */
function directives(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of text.split("\n")) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
    if (m) out.set(m[1]!, [...(out.get(m[1]!) ?? []), m[2]!]);
  }
  return out;
}

describe("contrib/systemd/panecast.service", () => {
  it("is a hardened user unit whose writable path is the data directory panecast uses, and systemd accepts it", async () => {
    const text = readFileSync(UNIT, "utf8");
    const d = directives(text);
    expect(d.get("ExecStart")?.[0]).toMatch(/^\/\S+\/panecast start$/);
    expect(d.get("NoNewPrivileges")).toEqual(["yes"]);
    expect(d.get("ProtectSystem")).toEqual(["strict"]);
    expect(d.get("ReadWritePaths")).toEqual(["%S/panecast"]);
    expect(d.get("Environment")).toContain("PANECAST_DATA_DIR=%S/panecast");
    expect(d.get("StateDirectoryMode")).toEqual(["0700"]);
    // tmux's socket is in /tmp/tmux-UID: a private /tmp would hide it.
    expect(d.has("PrivateTmp")).toBe(false);
    expect(d.get("WantedBy")).toEqual(["default.target"]);

    // A precondition of this test where systemd is installed (Debian: the systemd package).
    if (ANALYZE) {
      // verify checks that ExecStart exists: point it at this checkout's bin for the check.
      const dir = mkdtempSync(path.join(tmpdir(), "panecast-unit-"));
      const copy = path.join(dir, "panecast.service");
      writeFileSync(copy, text.replace(/^ExecStart=\S+/m, `ExecStart=${path.resolve("bin/panecast.js")}`));
      const r = await run(ANALYZE, ["verify", "--user", copy], { env: { ...process.env, XDG_RUNTIME_DIR: dir } });
      // verify exits 0 on directives it ignores; it names them on stderr.
      expect(r.stderr).toBe("");
    }
  });
});
