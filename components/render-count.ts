/**
 * Render counts per pane card, kept only when a test asks for them by setting
 * `window.__panecastRenders = {}` before the page loads: the end-to-end test checks that a card does not
 * re-render for another pane's changes. A render whose inputs (props and what the card read from the
 * stores) equal the previous render's in content is counted in `__panecastWasted` too: such a render
 * came from elsewhere, however fast or slow the page ran. Otherwise one property read per render.
 */
interface Counters {
  __panecastRenders?: Record<string, number>;
  __panecastWasted?: Record<string, number>;
}

const last = new Map<string, string>();
const fnIds = new WeakMap<object, number>();
let nextFn = 0;

/** Functions compare by identity (a new callback is a new input), everything else by content. */
function key(inputs: readonly unknown[]): string {
  return JSON.stringify(inputs, (_k, v: unknown) => {
    if (typeof v !== "function") return v;
    let id = fnIds.get(v);
    if (id === undefined) fnIds.set(v, (id = ++nextFn));
    return `fn:${id}`;
  });
}

export function countRender(pane: string, inputs: readonly unknown[]): void {
  if (typeof window === "undefined") return;
  const w = window as unknown as Counters;
  const counts = w.__panecastRenders;
  if (!counts) return;
  counts[pane] = (counts[pane] ?? 0) + 1;
  const k = key(inputs);
  if (last.get(pane) === k) {
    const wasted = (w.__panecastWasted ??= {});
    wasted[pane] = (wasted[pane] ?? 0) + 1;
  }
  last.set(pane, k);
}
