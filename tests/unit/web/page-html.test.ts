import { describe, expect, it } from "vitest";
import { fillPage } from "../../../lib/web/page-html.ts";

const page =
  '<!DOCTYPE html><html lang="en"><head><link rel="stylesheet" href="/a.css"/><link rel="preload" as="script" fetchPriority="low" href="/b.js"/>' +
  '<script src="/c.js" async=""></script></head><body><form><input type="hidden" name="next" value="/"/><noscript data-panecast-slot="login-error"></noscript></form>' +
  '<noscript data-panecast-slot="doc"></noscript><script>self.__next_f.push([1,"x"])</script></body></html>';

describe("fillPage", () => {
  it("puts the nonce on every script and every script preload, and the theme on <html>", () => {
    const out = fillPage(page, { nonce: "abc+/=", theme: "light" });
    expect(out).toContain('<html data-theme="light" lang="en">');
    expect(out.match(/<script/g)).toHaveLength(2);
    expect(out.match(/<script nonce="abc\+\/="/g)).toHaveLength(2);
    expect(out).toContain('<link nonce="abc+/=" rel="preload" as="script"');
    expect(out).toContain('<link rel="stylesheet" href="/a.css"/>');
  });

  it("fills the noscript slots and the login form's next, escaped", () => {
    const out = fillPage(page, { nonce: null, theme: "auto", slots: { doc: "<article>$& $1 report</article>", "login-error": "<p>bad</p>" }, loginNext: '/history?a="b"&c' });
    expect(out).toContain('<noscript data-panecast-slot="doc"><article>$& $1 report</article></noscript>');
    expect(out).toContain('<noscript data-panecast-slot="login-error"><p>bad</p></noscript>');
    expect(out).toContain('name="next" value="/history?a=&#34;b&#34;&#38;c"');
    expect(out).not.toContain("nonce=");
  });

  it("leaves a slot empty rather than let its content close the noscript early", () => {
    const out = fillPage(page, { nonce: null, theme: "auto", slots: { doc: "x</NOSCRIPT><script>alert(1)</script>" } });
    expect(out).toContain('<noscript data-panecast-slot="doc"></noscript>');
    expect(out).not.toContain("alert(1)");
  });
});
