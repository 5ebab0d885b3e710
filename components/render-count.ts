/**
 * Render counts per pane card, kept only when a test asks for them by setting
 * `window.__panecastRenders = {}` before the page loads: the end-to-end test checks that a card does not
 * re-render for another pane's changes. Otherwise one property read per render.
 */
export function countRender(pane: string): void {
  if (typeof window === "undefined") return;
  const counts = (window as unknown as { __panecastRenders?: Record<string, number> }).__panecastRenders;
  if (counts) counts[pane] = (counts[pane] ?? 0) + 1;
}
