import type { ConnectionOptions } from "./connection-types.ts";

/** The wait before reconnect attempt number `attempt` (from 0): exponential, capped, with jitter. */
export function retryDelay(backoff: ConnectionOptions["backoff"], attempt: number): number {
  const b = backoff ?? {};
  const min = b.minMs ?? 500;
  const max = b.maxMs ?? 10_000;
  const jitter = b.jitter ?? 0.3;
  const base = Math.min(max, min * (b.factor ?? 2) ** attempt);
  return Math.round(base * (1 - jitter + Math.random() * 2 * jitter));
}

/**
 * Calls `cb` when the browser reports the network back (`online`) or the page visible again. Outside
 * a browser there is nothing to listen to.
 */
export function onWake(cb: () => void): () => void {
  const win = (globalThis as { window?: EventTarget }).window;
  const doc = (globalThis as { document?: EventTarget & { visibilityState?: string } }).document;
  if (!win || typeof win.addEventListener !== "function") return () => {};
  const online = () => cb();
  const visible = () => {
    if (doc?.visibilityState === "visible") cb();
  };
  win.addEventListener("online", online);
  doc?.addEventListener("visibilitychange", visible);
  return () => {
    win.removeEventListener("online", online);
    doc?.removeEventListener("visibilitychange", visible);
  };
}
