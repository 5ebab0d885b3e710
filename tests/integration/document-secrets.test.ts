import { linkSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PanecastApp } from "../../lib/app.ts";
import { statePath } from "../../lib/config.ts";
import { startPanecast } from "../helpers/server.ts";
import { TestTmux } from "../helpers/tmux.ts";

const tmux = new TestTmux();
const root = mkdtempSync(path.join(tmpdir(), "panecast-doc-secrets-"));
const state = path.join(root, "state");
const docs = path.join(root, "docs");
const logs = path.join(root, "logs");
const tokens = path.join(state, "tokens.json");
const audit = path.join(logs, "audit.jsonl");
let app: PanecastApp;
let url: string;

const dashboards: Record<string, string> = {
  plain: path.join(docs, "plain.md"),
  "link-to-tokens": path.join(docs, "tokens.md"),
  "link-to-key": path.join(docs, "key.md"),
  "link-to-audit": path.join(docs, "audit.md"),
  "link-into-state": path.join(docs, "notes.md"),
  "link-to-state-dir-parent": path.join(docs, "up.md"),
  dotdot: path.join(docs, "..", "state", "tokens.json"),
  "hard-link-to-key": path.join(docs, "hard.md"),
  "link-to-passwd": path.join(docs, "passwd.md"),
  "link-to-settings": path.join(docs, "settings.md"),
  "the-settings-file": path.join(root, "panecast.yaml"),
  "a-settings-file-by-name": path.join(docs, "panecast.yaml"),
  "link-outside-its-directory": path.join(docs, "elsewhere.md"),
};
/** Served: a symlink within the document's directory, and one into an allowed root. */
const served: Record<string, string> = {
  "link-beside": path.join(docs, "alias.md"),
  "link-into-allowed-root": path.join(docs, "shared.md"),
};

beforeAll(async () => {
  for (const d of [state, docs, logs]) mkdirSync(d, { recursive: true });
  writeFileSync(dashboards.plain!, "# fine\n");
  writeFileSync(path.join(state, "notes.md"), "# state notes\n");
  symlinkSync(tokens, dashboards["link-to-tokens"]!);
  symlinkSync(statePath(path.dirname(tokens), "session.key"), dashboards["link-to-key"]!);
  symlinkSync(audit, dashboards["link-to-audit"]!);
  symlinkSync(path.join(state, "notes.md"), dashboards["link-into-state"]!);
  // A link to a directory above the state dir, then down into it.
  symlinkSync(root, path.join(docs, "root"));
  symlinkSync(path.join(docs, "root", "state", "tokens.json"), dashboards["link-to-state-dir-parent"]!);
  symlinkSync("/etc/passwd", dashboards["link-to-passwd"]!);
  const cfg = path.join(root, "panecast.yaml");
  symlinkSync(cfg, dashboards["link-to-settings"]!);
  writeFileSync(dashboards["a-settings-file-by-name"]!, "redis_password: hunter2\n");
  for (const d of ["shared", "other"]) mkdirSync(path.join(root, d));
  writeFileSync(path.join(root, "other", "x.md"), "# other\n");
  symlinkSync(path.join(root, "other", "x.md"), dashboards["link-outside-its-directory"]!);
  symlinkSync(dashboards.plain!, served["link-beside"]!);
  writeFileSync(path.join(root, "shared", "report.md"), "# shared\n");
  symlinkSync(path.join(root, "shared", "report.md"), served["link-into-allowed-root"]!);
  const all = { ...dashboards, ...served };
  writeFileSync(
    cfg,
    `dashboards:\n${Object.entries(all).map(([name, p]) => `  - { name: ${name}, path: ${JSON.stringify(p)} }`).join("\n")}\n` +
      `docs:\n  allowed_roots: [${JSON.stringify(path.join(root, "shared"))}]\n`,
  );
  await tmux.newSession("s");
  ({ app, url } = await startPanecast(tmux, ["--config", cfg], { PANECAST_AUTH: "on", PANECAST_TOKENS: tokens, PANECAST_AUDIT: audit }));
  // The audit file exists once something is audited; the key file once the server started.
  app.auth.audit.write({ event: "login", token: "x", remote: "test" });
  await app.auth.audit.flush();
  linkSync(statePath(path.dirname(tokens), "session.key"), dashboards["hard-link-to-key"]!);
});

afterAll(async () => {
  await app?.close();
  await tmux.kill();
});

async function doc(name: string): Promise<{ text: string; state: string }> {
  const r = await fetch(`${url}/api/docs/${name}`, { headers: { authorization: `Bearer ${app.bootstrapToken}` } });
  const text = await r.text();
  return { text, state: (JSON.parse(text) as { doc: { state: string } }).doc.state };
}

describe("documents never serve panecast's secrets, whatever path leads there", () => {
  it("serves an ordinary dashboard", async () => {
    expect((await doc("plain")).state).toBe("ok");
  });

  it.each(Object.keys(served))("serves %s", async (name) => {
    expect((await doc(name)).state).toBe("ok");
  });

  it.each(Object.keys(dashboards).filter((n) => n !== "plain"))("refuses %s", async (name) => {
    const got = await doc(name);
    expect(got.state).toBe("unreadable");
    const key = readFileSync(statePath(path.dirname(tokens), "session.key"), "utf8").trim();
    const hash = (JSON.parse(readFileSync(tokens, "utf8")) as { tokens: Array<{ hash: string }> }).tokens[0]!.hash;
    expect(got.text).not.toContain(key);
    expect(got.text).not.toContain(hash);
    expect(got.text).not.toContain("state notes");
    expect(got.text).not.toContain('"event"');
    expect(got.text).not.toContain("root:x:0:0");
    expect(got.text).not.toContain("hunter2");
    expect(got.text).not.toContain("dashboards:");
    expect(got.text).not.toContain("# other");
  });
});

describe("document paths", () => {
  it("shows clients no absolute path: relative to the settings' root, or the file's name when outside it", async () => {
    const headers = { authorization: `Bearer ${app.bootstrapToken}` };
    const list = await (await fetch(`${url}/api/docs`, { headers })).text();
    const one = await (await fetch(`${url}/api/docs/plain`, { headers })).text();
    for (const text of [list, one]) expect(text).not.toContain(root);
    expect((JSON.parse(one) as { path: string }).path).toBe("plain.md");
    expect((JSON.parse(list) as { docs: Array<{ name: string; path: string }> }).docs.find((d) => d.name === "plain")?.path).toBe("plain.md");
  });
});
