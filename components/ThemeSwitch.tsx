"use client";

import { useEffect, useState } from "react";
import { THEME_COOKIE, THEMES, themeOf, type Theme } from "@/lib/theme";

const base = process.env.NEXT_PUBLIC_PANECAST_BASE_PATH ?? "";

/** Auto (the system's), dark or light: applied at once, and remembered for a year in a cookie. */
export function ThemeSwitch() {
  const [theme, setTheme] = useState<Theme>("auto");
  // The server set <html data-theme> from the cookie as it served the page; read it after hydration.
  // (`npm run dev` serves pages through Next.js, which does not: the cookie is applied here then.)
  useEffect(() => {
    const html = document.documentElement;
    const cookie = new RegExp(`(?:^|;\\s*)${THEME_COOKIE}=([^;]*)`).exec(document.cookie)?.[1];
    const t = themeOf(html.dataset.theme ?? cookie);
    html.dataset.theme = t;
    setTheme(t);
  }, []);
  const choose = (t: Theme) => {
    setTheme(t);
    document.documentElement.dataset.theme = t;
    document.cookie = `${THEME_COOKIE}=${t}; path=${base || "/"}; max-age=31536000; SameSite=Strict`;
  };
  return (
    <label className="flex items-center gap-1 text-xs text-muted">
      <span className="sr-only">theme</span>
      <select
        data-testid="theme"
        value={theme}
        onChange={(e) => choose(themeOf(e.target.value))}
        className="rounded border border-edge bg-panel px-1 py-0.5 text-xs text-fg"
        aria-label="colour theme"
      >
        {THEMES.map((t) => (
          <option key={t} value={t}>
            {t}
          </option>
        ))}
      </select>
    </label>
  );
}
