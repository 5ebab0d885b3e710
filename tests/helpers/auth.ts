import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startPanecast } from "./server.ts";
import type { TestTmux } from "./tmux.ts";

/** panecast with auth on, its token file and audit log in a scratch folder. */
export async function startWithAuth(tmux: TestTmux, settings = "", argv: string[] = []) {
  const dir = mkdtempSync(path.join(tmpdir(), "panecast-auth-"));
  const cfg = path.join(dir, "panecast.yaml");
  writeFileSync(cfg, settings);
  const tokens = path.join(dir, "tokens.json");
  const audit = path.join(dir, "audit.jsonl");
  const started = await startPanecast(tmux, ["--config", cfg, ...argv], { PANECAST_AUTH: "on", PANECAST_TOKENS: tokens, PANECAST_AUDIT: audit });
  return { ...started, dir, tokens, audit };
}
