import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startPanecast } from "./server.ts";
import type { TestTmux } from "./tmux.ts";

/** panecast with auth on, its token file and audit log in a scratch folder. */
export async function startWithAuth(tmux: TestTmux, settings = "", argv: string[] = []) {
  const dir = mkdtempSync(path.join(tmpdir(), "panecast-auth-"));
  const cfg = path.join(dir, "panecast.yaml");
  writeFileSync(cfg, `audit:\n  path: ${path.join(dir, "audit.jsonl")}\n${settings}`);
  const tokens = path.join(dir, "tokens.json");
  const started = await startPanecast(tmux, ["--config", cfg, ...argv], { PANECAST_AUTH: "on", PANECAST_TOKENS: tokens });
  return { ...started, dir, tokens, audit: path.join(dir, "audit.jsonl") };
}
