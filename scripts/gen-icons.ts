// Renders app/icon.svg to the PNG icons the web app manifest lists (installable PWAs want 192 and
// 512 px PNGs). Run with `npx tsx scripts/gen-icons.ts` after changing the icon; the PNGs are committed.
import { readFileSync } from "node:fs";
import path from "node:path";
import { chromium } from "@playwright/test";

const svg = readFileSync(path.resolve("app/icon.svg"), "utf8");
const browser = await chromium.launch({ executablePath: process.env.PANECAST_CHROMIUM ?? "/usr/bin/chromium" });
try {
  for (const size of [192, 512]) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    await page.setContent(`<html><body style="margin:0;background:#0b0e14">${svg.replace("<svg ", `<svg width="${size}" height="${size}" `)}</body></html>`);
    await page.screenshot({ path: path.resolve(`public/icons/icon-${size}.png`), omitBackground: false });
    await page.close();
  }
} finally {
  await browser.close();
}
