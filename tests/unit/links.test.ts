import { describe, expect, it } from "vitest";
import { findUrls, safeHref } from "../../lib/links.ts";

describe("links", () => {
  it("links only absolute http(s) URLs", () => {
    expect(safeHref("https://example.com/x?y=1")).toBe("https://example.com/x?y=1");
    expect(safeHref("http://localhost:3000/")).toBe("http://localhost:3000/");
    for (const bad of ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "//example.com", "ftp://x", `https://${"a".repeat(3000)}`]) {
      expect(safeHref(bad), bad).toBeNull();
    }
  });

  it("finds plain URLs in text, leaving trailing punctuation and unbalanced brackets out", () => {
    expect(findUrls("see https://example.com/a_(b), then (http://x.test/y).")).toEqual([
      { text: "see ", href: null },
      { text: "https://example.com/a_(b)", href: "https://example.com/a_(b)" },
      { text: ", then (", href: null },
      { text: "http://x.test/y", href: "http://x.test/y" },
      { text: ").", href: null },
    ]);
    expect(findUrls("no links, javascript://x")).toEqual([{ text: "no links, javascript://x", href: null }]);
  });
});
