import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AuditLog } from "../../../lib/auth/audit.ts";

function scratch() {
  const dir = mkdtempSync(path.join(tmpdir(), "panecast-audit-"));
  return { dir, file: path.join(dir, "audit.jsonl") };
}

/** Every record kept, oldest first: `<file>.N` … `<file>.1`, then the file. */
function kept(file: string, generations: number): number[] {
  const names = [...Array.from({ length: generations }, (_, i) => `${file}.${generations - i}`), file];
  return names.flatMap((f) => {
    try {
      return readFileSync(f, "utf8").trim().split("\n").filter(Boolean).map((l) => (JSON.parse(l) as { bytes: number }).bytes);
    } catch {
      return [];
    }
  });
}

describe("AuditLog", () => {
  it("keeps by size: the newest records in order across generations, each file within max_bytes, the oldest gone", async () => {
    const { dir, file } = scratch();
    const audit = new AuditLog({ path: file, maxBytes: 4096, generations: 3, logContent: false });
    // About 100 bytes a line: some 40 lines a file, so 2,000 lines rotate many times over.
    for (let i = 0; i < 2000; i++) {
      audit.write({ event: "login.failed", remote: "10.0.0.1", bytes: i, detail: "x".repeat(20) });
      if (i % 250 === 0) await audit.flush();
    }
    await audit.flush();
    const files = readdirSync(dir).sort();
    expect(files).toEqual(["audit.jsonl", "audit.jsonl.1", "audit.jsonl.2", "audit.jsonl.3"]);
    for (const f of files) expect(statSync(path.join(dir, f)).size).toBeLessThanOrEqual(4096);
    const seq = kept(file, 3);
    // Contiguous and ending with the last record: nothing newer than the oldest kept is missing.
    expect(seq.at(-1)).toBe(1999);
    expect(seq).toEqual(Array.from({ length: seq.length }, (_, i) => 2000 - seq.length + i));
    // At least the three full old files' worth: every record of the older generations was kept whole.
    const perLine = Buffer.byteLength(readFileSync(file, "utf8").split("\n")[0]!) + 1;
    expect(seq.length).toBeGreaterThanOrEqual(Math.floor((3 * 4096) / perLine) - 3);
    expect(seq[0]).toBeGreaterThan(0);
  });

  it("with generations 0 keeps only the current file, and a line longer than max_bytes is still written whole", async () => {
    const { dir, file } = scratch();
    const audit = new AuditLog({ path: file, maxBytes: 1024, generations: 0, logContent: false });
    for (let i = 0; i < 100; i++) audit.write({ event: "send", bytes: i });
    audit.write({ event: "send", bytes: 100, detail: "y".repeat(2000) });
    audit.write({ event: "send", bytes: 101 });
    await audit.flush();
    expect(readdirSync(dir)).toEqual(["audit.jsonl"]);
    expect(kept(file, 0)).toEqual([101]);
  });
});
