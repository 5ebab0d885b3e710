import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AGENT_STATES } from "../../../lib/protocol.ts";

/**
 * Every state colour and warning text, in both themes, against the background it is drawn on: at
 * least 4.5:1, WCAG AA for text. The colours are read from app/globals.css itself.
 */
const css = readFileSync(path.resolve("app/globals.css"), "utf8");

/** The custom properties declared in the first block that starts with `selector {`. */
function block(selector: string): Record<string, string> {
  const start = css.indexOf(`${selector} {`);
  if (start < 0) throw new Error(`no ${selector} block`);
  const body = css.slice(start + selector.length + 2, css.indexOf("}", start));
  return Object.fromEntries([...body.matchAll(/(--[\w-]+):\s*(#[0-9a-fA-F]{6})\s*;/g)].map((m) => [m[1]!, m[2]!.toLowerCase()]));
}

const base = { ...block("@theme"), ...block(":root") };
const themes = { dark: base, light: { ...base, ...block(':root[data-theme="light"]') } };

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describe("colour contrast (WCAG AA, 4.5:1 for text)", () => {
  for (const [theme, vars] of Object.entries(themes)) {
    it.each(AGENT_STATES.map((s) => [s]))(`${theme}: the %s badge`, (state) => {
      const fg = vars[`--state-${state}-fg`];
      const bg = vars[`--state-${state}-bg`];
      expect(fg && bg, `--state-${state}-fg/bg in the ${theme} theme`).toBeTruthy();
      expect(contrast(fg!, bg!)).toBeGreaterThanOrEqual(4.5);
    });

    it.each([["--color-ink"], ["--color-panel"], ["--color-warn-soft"]])(`${theme}: warning text on %s`, (bg) => {
      expect(contrast(vars["--color-warn"]!, vars[bg]!)).toBeGreaterThanOrEqual(4.5);
    });
  }

  it("the dark theme's amber on white would fail: the light theme needs its own (a check that the test can fail)", () => {
    expect(contrast(themes.dark["--color-warn"]!, themes.light["--color-ink"]!)).toBeLessThan(4.5);
  });

  it("gives an automatic light theme the same colours as the chosen one", () => {
    const auto = css.slice(css.indexOf(':root[data-theme="auto"] {'));
    for (const [k, v] of Object.entries(block(':root[data-theme="light"]'))) expect(auto.slice(0, auto.indexOf("}"))).toContain(`${k}: ${v};`);
  });
});
