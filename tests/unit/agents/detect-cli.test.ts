import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterEach, describe, expect, it, vi } from "vitest";
import { detect } from "../../../cli/detect.ts";
import { UsageError } from "../../../cli/args.ts";

const screen = (name: string) => readFileSync(path.resolve("tests/fixtures/screens", name), "utf8");

/** Runs `panecast detect` on a screen; its stdout lines. */
async function run(argv: string[], text: string): Promise<string[]> {
  const out: string[] = [];
  const log = vi.spyOn(console, "log").mockImplementation((line: string) => void out.push(line));
  try {
    expect(await detect(argv, Readable.from([Buffer.from(text)]))).toBe(0);
  } finally {
    log.mockRestore();
  }
  return out;
}

afterEach(() => vi.restoreAllMocks());

describe("panecast detect", () => {
  it("prints state, reason and deciding line as JSON, colours and all", async () => {
    const coloured = `\x1b[31m  ⎿  API Error: 429 rate limit reached · try again in 10m\x1b[0m\n\n────\n\x1b[1m❯\x1b[0m \n────\n  ? for shortcuts\n`;
    const [line] = await run(["--agent", "claude", "--json"], coloured);
    const got = JSON.parse(line!) as Record<string, unknown>;
    expect(got).toMatchObject({ agent: "claude", state: "error", reason: "rate-limit", decisive: true });
    expect(got.line).toContain("API Error: 429");
    expect(typeof got.reset_at).toBe("string");
  });

  it("without --agent tries each agent CLI's rules: a recorded Claude permission prompt is waiting", async () => {
    const lines = await run([], screen("claude-waiting.txt"));
    expect(lines).toEqual(["agent:  claude", "state:  waiting-for-input", "line:   Do you want to make this edit to queue.ts?"]);
  });

  it("uses agents.rules from the config file, as the server does", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "panecast-detect-"));
    const cfg = path.join(dir, "panecast.yaml");
    writeFileSync(cfg, 'agents:\n  rules:\n    codex:\n      waiting: ["deploy to prod\\\\?"]\n');
    const [line] = await run(["--agent", "codex", "--json", "--config", cfg], "Ready.\nDeploy to prod?\n");
    expect(JSON.parse(line!)).toMatchObject({ state: "waiting-for-input", line: "Deploy to prod?" });
  });

  it("refuses an unknown agent type and an unknown option", async () => {
    await expect(detect(["--agent", "nope"], Readable.from([]))).rejects.toThrow(UsageError);
    await expect(detect(["--nope"], Readable.from([]))).rejects.toThrow(UsageError);
  });
});
