/** The UI's colour themes: "auto" follows the system (prefers-color-scheme). Kept in a cookie, so the
 * server renders the page in it (no flash, and no inline script under the CSP). */
export const THEMES = ["auto", "dark", "light"] as const;
export type Theme = (typeof THEMES)[number];
export const THEME_COOKIE = "panecast_theme";

export function themeOf(value: string | undefined): Theme {
  return (THEMES as readonly string[]).includes(value ?? "") ? (value as Theme) : "auto";
}
