import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../../lib/config.ts";
import { documentsOf } from "../../../lib/dashboard/documents-of.ts";
import type { Documents } from "../../../lib/dashboard/documents.ts";
import { applySecurityHeaders } from "../../../lib/http/security-headers.ts";
import { createPages } from "../../../lib/web/pages.ts";
import { PLACEHOLDER, Site } from "../../../lib/web/site.ts";

const root = mkdtempSync(path.join(tmpdir(), "panecast-pages-"));
const web = path.join(root, "web");
const shell = (body: string) =>
  `<!DOCTYPE html><html lang="en"><head><script src="${PLACEHOLDER}/_next/static/chunks/a.js" async=""></script></head><body>${body}</body></html>`;
let server: Server;
let url: string;
let documents: Documents;

beforeAll(async () => {
  mkdirSync(path.join(web, "_next", "static", "chunks"), { recursive: true });
  mkdirSync(path.join(web, "dashboard"), { recursive: true });
  writeFileSync(path.join(web, "index.html"), shell("panes"));
  writeFileSync(path.join(web, "login.html"), shell('<form><input type="hidden" name="next" value="/"/><noscript data-panecast-slot="login-error"></noscript></form>'));
  writeFileSync(path.join(web, "dashboard", "__doc__.html"), shell('<noscript data-panecast-slot="doc"></noscript>'));
  writeFileSync(path.join(web, "404.html"), shell("not here"));
  writeFileSync(path.join(web, "BUILD_ID"), "build-1");
  writeFileSync(path.join(web, "_next", "static", "chunks", "a.js"), `fetch("${PLACEHOLDER}/api/docs")`);
  writeFileSync(path.join(web, "icon.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
  writeFileSync(path.join(root, "secret.txt"), "top secret");
  symlinkSync(path.join(root, "secret.txt"), path.join(web, "leak.txt"));
  const md = path.join(root, "dashboard.md");
  writeFileSync(md, "# Fleet report\n\nFirst version.\n");
  const config = loadConfig({ argv: ["--dashboard", `main=${md}`], env: { PANECAST_AUTH: "off" } });
  documents = documentsOf(config);
  const pages = createPages(Site.load(web, "/pc"), { basePath: "/pc", documents });
  server = createServer((req, res) => {
    applySecurityHeaders(req, res, false);
    void pages(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/pc`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  documents.stop();
});

describe("the exported pages' handler", () => {
  it("serves a page with this response's nonce on its scripts, the base path in place and the theme cookie on <html>", async () => {
    const res = await fetch(`${url}/`, { headers: { cookie: "panecast_theme=light" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("no-store");
    const nonce = /'nonce-([^']+)'/.exec(res.headers.get("content-security-policy")!)![1]!;
    const html = await res.text();
    expect(html).toContain(`<script nonce="${nonce}" src="/pc/_next/static/chunks/a.js"`);
    expect(html).toContain('<html data-theme="light" lang="en">');
    expect(html).not.toContain(PLACEHOLDER);
    // A fresh nonce each time.
    expect(await (await fetch(`${url}/`)).text()).not.toContain(nonce);
  });

  it("serves hashed assets for a year, with their type, and the base path in place", async () => {
    const res = await fetch(`${url}/_next/static/chunks/a.js`);
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(await res.text()).toBe('fetch("/pc/api/docs")');
    const png = await fetch(`${url}/icon.png`);
    expect(png.headers.get("content-type")).toBe("image/png");
    expect(png.headers.get("cache-control")).toBe("no-cache");
    expect(Buffer.from(await png.arrayBuffer())).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
    const headPng = await fetch(`${url}/icon.png`, { method: "HEAD" });
    expect([headPng.status, headPng.headers.get("content-length"), await headPng.text()]).toEqual([200, "7", ""]);
  });

  it("puts the dashboard in the page for a browser without JavaScript, raw with ?view=raw", async () => {
    const html = await (await fetch(`${url}/dashboard/main`)).text();
    expect(html).toMatch(/<noscript data-panecast-slot="doc"><article data-testid="doc-rendered"[^>]*><h1[^>]*>.*Fleet report<\/h1>/);
    const raw = await (await fetch(`${url}/dashboard/main?view=raw`)).text();
    expect(raw).toContain('<pre data-testid="doc-raw"');
    expect(raw).toContain("# Fleet report");
  });

  it("fills the login form's next and message from the address, escaped, and never an outside next", async () => {
    const html = await (await fetch(`${url}/login?next=%2Fhistory&error=logins`)).text();
    expect(html).toContain('name="next" value="/history"');
    expect(html).toContain("This token signed in too often");
    const outside = await (await fetch(`${url}/login?next=${encodeURIComponent("//evil.example/")}&error=<b>`)).text();
    expect(outside).toContain('name="next" value="/"');
    expect(outside).toContain("Sign-in failed.");
    expect(outside).not.toContain("<b>");
  });

  it("answers 404 with the 404 page for unknown files, dashboards, build records, links and paths out of the folder", async () => {
    for (const p of ["/nope", "/dashboard/other", "/BUILD_ID", "/leak.txt", "/../secret.txt", "/%2e%2e/secret.txt", "/dashboard/__doc__", "/history"]) {
      const res = await fetch(`${url}${p}`);
      expect(res.status, p).toBe(404);
      const body = await res.text();
      expect(body, p).toContain("not here");
      expect(body, p).not.toContain("top secret");
    }
  });

  it("redirects /dashboard to the first dashboard, answers HEAD without a body, and refuses other methods", async () => {
    const r = await fetch(`${url}/dashboard`, { redirect: "manual" });
    expect(r.status).toBe(307);
    expect(r.headers.get("location")).toBe("/pc/dashboard/main");
    const head = await fetch(`${url}/login`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get("content-length"))).toBeGreaterThan(0);
    expect(await head.text()).toBe("");
    const post = await fetch(`${url}/login`, { method: "POST", body: "x" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
  });
});

describe("Site.load", () => {
  it("refuses an export over its bounds instead of reading it", () => {
    const big = mkdtempSync(path.join(tmpdir(), "panecast-big-"));
    writeFileSync(path.join(big, "huge.js"), Buffer.alloc(17 * 1024 * 1024, 0x61));
    expect(() => Site.load(big, "")).toThrow(/over 16777216 bytes/);
  });
});
