import { mkdtempSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DocumentCache } from "../../../lib/dashboard/cache.ts";
import { parseHistory } from "../../../lib/dashboard/history.ts";
import { renderMarkdown } from "../../../lib/dashboard/render.ts";

const dir = () => mkdtempSync(path.join(tmpdir(), "panecast-docs-"));
const cache = (max = 1024 * 1024) => new DocumentCache({ maxFileBytes: max, maxEntries: 8, maxBytes: 8 * 1024 * 1024 });

describe("DocumentCache", () => {
  it("does not read the file again while its mtime and size are unchanged", async () => {
    const f = path.join(dir(), "d.md");
    writeFileSync(f, "# one");
    const c = cache();
    let renders = 0;
    const render = (t: string) => (renders++, t.toUpperCase());
    expect(await c.read(f, "r", render)).toMatchObject({ state: "ok", value: "# ONE" });
    expect(await c.read(f, "r", render)).toMatchObject({ state: "ok", value: "# ONE" });
    expect(c.stats.reads).toBe(1);
    expect(renders).toBe(1);
    writeFileSync(f, "# two");
    utimesSync(f, new Date(), new Date(Date.now() + 5000));
    expect(await c.read(f, "r", render)).toMatchObject({ state: "ok", value: "# TWO" });
    expect(c.stats.reads).toBe(2);
    expect(renders).toBe(2);
  });

  it("reads again when only the size changed", async () => {
    const f = path.join(dir(), "d.md");
    writeFileSync(f, "abc");
    const c = cache();
    const t = new Date(2020, 1, 1);
    utimesSync(f, t, t);
    await c.read(f, "r", (x) => x);
    writeFileSync(f, "abcdef");
    utimesSync(f, t, t);
    expect(await c.read(f, "r", (x) => x)).toMatchObject({ value: "abcdef" });
    expect(c.stats.reads).toBe(2);
  });

  it("never reads a file over the limit, and reports missing, binary and invalid UTF-8", async () => {
    const d = dir();
    const c = cache(10);
    writeFileSync(path.join(d, "big.md"), "x".repeat(11));
    expect(await c.read(path.join(d, "big.md"), "r", (x) => x)).toEqual({ state: "too-large", size: 11, limit: 10 });
    expect(c.stats.reads).toBe(0);
    expect(await c.read(path.join(d, "none.md"), "r", (x) => x)).toEqual({ state: "missing" });
    writeFileSync(path.join(d, "bin.md"), Buffer.from([0x41, 0x00, 0x42]));
    expect(await c.read(path.join(d, "bin.md"), "r", (x) => x)).toEqual({ state: "binary" });
    writeFileSync(path.join(d, "latin1.md"), Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    expect(await c.read(path.join(d, "latin1.md"), "r", (x) => x)).toEqual({ state: "binary" });
    expect(await c.read(d, "r", (x) => x)).toEqual({ state: "unreadable" });
  });
});

describe("renderMarkdown", () => {
  it("renders GitHub-flavoured Markdown with anchors, a table of contents and highlighted code", () => {
    const { html, toc } = renderMarkdown("# Fleet\n\n| a | b |\n|---|---|\n| 1 | ~~2~~ |\n\n- [x] done\n- [ ] open\n\nsee https://example.com\n\n```ts\nconst x = 1;\n```\n\n## Fleet\n");
    expect(html).toContain('<h1 id="fleet">');
    expect(html).toContain('<h2 id="fleet-1">');
    expect(toc).toEqual([
      { level: 1, text: "Fleet", id: "fleet" },
      { level: 2, text: "Fleet", id: "fleet-1" },
    ]);
    expect(html).toContain("<table>");
    expect(html).toContain("<del>2</del>");
    expect(html).toMatch(/<li><input checked[^>]*type="checkbox"[^>]*> done/);
    expect(html).toMatch(/<li><input disabled[^>]*type="checkbox"[^>]*> open/);
    expect(html).toContain('<a href="https://example.com" rel="nofollow noopener noreferrer" target="_blank">');
    expect(html).toContain('<span class="hljs-keyword">const</span>');
  });

  it.each([
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](data:text/html,<script>alert(1)</script>)",
    "![x](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=https://evil.example></iframe>",
    '<div onclick="alert(1)">x</div>',
    "```html\n<script>alert(1)</script>\n```",
  ])("keeps %j inert", (payload) => {
    const { html } = renderMarkdown(`before\n\n${payload}\n\nafter`);
    // Escaped text ("&lt;img onerror=…") is inert; what must not exist is such markup.
    expect(html).not.toMatch(/<(script|iframe|div|img[^>]*onerror)|<[^>]*\son\w+\s*=|<[^>]*(href|src)="\s*(javascript|data):/i);
  });
});

describe("parseHistory", () => {
  it("lists entries newest first, keeping unknown fields as details", () => {
    const r = parseHistory(
      'queue:\n  - id: a\n    timestamp: "2026-01-01T09:00:00"\n    command: first\n    status: done\n    assigned_to: ashigaru1\n    priority: high\n  - id: b\n    timestamp: "2026-01-02T09:00:00"\n    command: second\n',
    );
    expect(r.state).toBe("entries");
    if (r.state !== "entries") return;
    expect(r.entries.map((e) => e.id)).toEqual(["b", "a"]);
    expect(r.entries[1]).toMatchObject({ command: "first", status: "done", assignee: "ashigaru1", details: "priority: high\n" });
  });

  it("accepts a bare list and entries that are not mappings", () => {
    const r = parseHistory("- just a string\n- id: 2\n  command: x\n");
    expect(r).toMatchObject({ state: "entries", entries: [{ id: "2" }, { command: "just a string" }] });
  });

  it("gives the line number of invalid YAML", () => {
    expect(parseHistory("queue:\n  - id: 1\n    command: [unclosed\n")).toMatchObject({ state: "invalid", line: 4 });
    expect(parseHistory("a: b: c\n")).toMatchObject({ state: "invalid", line: 1 });
    expect(parseHistory("just text")).toMatchObject({ state: "invalid" });
    expect(parseHistory("")).toEqual({ state: "entries", entries: [] });
  });
});
