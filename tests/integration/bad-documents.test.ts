import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPanecast, type PanecastApp } from "../../lib/app.ts";
import { loadConfig } from "../../lib/config.ts";
import type { DocPayload } from "../../lib/protocol.ts";
import { scratchAudit, startPanecast } from "../helpers/server.ts";
import { TestTmux, until } from "../helpers/tmux.ts";

/** Files built to hurt: an alias bomb in the history, Markdown that renders slowly, remote images. */
const tmux = new TestTmux();
const dir = mkdtempSync(path.join(tmpdir(), "panecast-bad-docs-"));
const md = path.join(dir, "dashboard.md");
const history = path.join(dir, "history.yaml");
const apps: PanecastApp[] = [];
let url: string;
/** A server with a small render budget, for the one test about it: the others get the default, so a loaded machine's slow renders do not read as too slow. */
let slowUrl: string;
const rejections: unknown[] = [];
const onRejection = (r: unknown) => rejections.push(r);

async function start(settings: string, argv: string[] = []): Promise<string> {
  const cfg = path.join(mkdtempSync(path.join(dir, "cfg-")), "panecast.yaml");
  writeFileSync(cfg, settings);
  const s = await startPanecast(tmux, ["--config", cfg, "--dashboard", `main=${md}`, "--history", history, ...argv]);
  apps.push(s.app);
  return s.url;
}

async function doc(base: string, name: string): Promise<{ status: number; body: DocPayload }> {
  const r = await fetch(`${base}/api/docs/${name}`);
  return { status: r.status, body: (await r.json()) as DocPayload };
}

beforeAll(async () => {
  process.on("unhandledRejection", onRejection);
  await tmux.newSession("docs");
  url = await start("");
  slowUrl = await start("docs:\n  render_timeout_ms: 300\n");
});

afterAll(async () => {
  process.off("unhandledRejection", onRejection);
  for (const a of apps) await a.close();
  await tmux.kill();
});

/** Nine aliases of nine aliases …: 9^8 nodes once expanded, from a file of a few hundred bytes. */
function aliasBomb(): string {
  const lines = ["a: &a [x, x, x, x, x, x, x, x, x]"];
  const names = "abcdefgh";
  for (let i = 1; i < names.length; i++) lines.push(`${names[i]}: &${names[i]} [${Array(9).fill(`*${names[i - 1]}`).join(", ")}]`);
  lines.push(`queue: [${Array(9).fill("*h").join(", ")}]`);
  return `${lines.join("\n")}\n`;
}

describe("bad documents", () => {
  it("shows an alias bomb in the history as invalid YAML: no 500, no unhandled rejection", async () => {
    writeFileSync(history, aliasBomb());
    const r = await doc(url, "history");
    expect(r.status).toBe(200);
    expect(r.body.doc).toMatchObject({ state: "invalid" });
    // The file watcher's push path reads it too; give it the chance to fail loudly.
    writeFileSync(history, `${aliasBomb()}# touched\n`);
    await until(async () => (await doc(url, "history")).body.doc.state === "invalid", "the re-read");
    expect(rejections).toEqual([]);
  });

  it("stops a Markdown render over its time budget, shows it as too slow, and renders the next version", async () => {
    // Thousands of nested list levels: marked's work grows worse than linearly with the depth.
    const depth = 800;
    writeFileSync(md, `${Array.from({ length: depth }, (_, i) => `${"  ".repeat(i)}- level ${i}`).join("\n")}\n`);
    const slow = await doc(slowUrl, "main");
    expect(slow.status).toBe(200);
    expect(slow.body.doc).toEqual({ state: "too-slow", limitMs: 300 });
    writeFileSync(md, "# fine again\n");
    await until(async () => (await doc(slowUrl, "main")).body.doc.state === "ok", "the next version rendered by a new worker");
    const ok = await doc(slowUrl, "main");
    expect(ok.body.kind === "markdown" && ok.body.doc.state === "ok" && ok.body.doc.html).toContain("fine again");
  });

  it("shows Markdown that breaks the renderer (quotes nested past the stack) as render-failed, not a 500", async () => {
    writeFileSync(md, `${">".repeat(20_000)} deep\n`);
    // A budget no loaded machine reaches: this file fails, it is not slow (the hog can make any render slow).
    const roomy = await start("docs:\n  render_timeout_ms: 30000\n");
    await until(async () => (await doc(roomy, "main")).body.doc.state === "render-failed", "the render-failed state");
    expect(rejections).toEqual([]);
  });

  it("turns remote images into links unless docs.allow_remote_images, and says so in the CSP", async () => {
    writeFileSync(md, "![tracker](https://tracker.example/p.png) ![proto](//tracker.example/q.png) ![local](/icon.svg)\n");
    const off = await doc(url, "main");
    const html = off.body.kind === "markdown" && off.body.doc.state === "ok" ? off.body.doc.html : "";
    expect(html).not.toMatch(/<img[^>]*tracker\.example/);
    expect(html).toContain('<a href="https://tracker.example/p.png"');
    expect(html).toMatch(/<img src="\/icon\.svg"/);
    const csp = (await fetch(`${url}/api/healthz`)).headers.get("content-security-policy")!;
    expect(csp).toMatch(/img-src 'self' data:;/);

    const allowed = await start("docs:\n  allow_remote_images: true\n");
    const on = await doc(allowed, "main");
    expect(on.body.kind === "markdown" && on.body.doc.state === "ok" && on.body.doc.html).toMatch(/<img src="https:\/\/tracker\.example\/p\.png"/);
    expect((await fetch(`${allowed}/api/healthz`)).headers.get("content-security-policy")).toMatch(/img-src 'self' data: https:;/);
  });

  it("does not serve /_next/image (Next's optimizer would fetch protected pages without credentials)", async () => {
    const config = loadConfig({ argv: ["--port", "0", "--host", "127.0.0.1", "-L", tmux.socketName], env: { PANECAST_AUTH: "on", PANECAST_TOKENS: path.join(dir, "tokens.json"), PANECAST_AUDIT: scratchAudit() } });
    // A stand-in for Next.js that would answer anything it is handed.
    const app = createPanecast(config, { pages: (_req, res) => void res.writeHead(200, { "content-type": "image/png" }).end("image") });
    apps.push(app);
    const base = await app.listen();
    const bearer = { authorization: `Bearer ${app.bootstrapToken}` };
    for (const headers of [{}, bearer]) {
      const r = await fetch(`${base}/_next/image?url=%2Fapi%2Fsessions&w=64&q=75`, { headers, redirect: "manual" });
      expect(r.status).toBe(404);
    }
    expect((await fetch(`${base}/`, { headers: bearer })).status).toBe(200);
  });
});
