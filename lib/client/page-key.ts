/**
 * The session's page key in the browser (see lib/auth/session-cookie.ts): the sign-in answer hands it
 * over once, and the page keeps it in this origin's localStorage. Cookies go to every port of a host;
 * storage belongs to one origin (scheme, host and port), so a service on another port of 127.0.0.1
 * that receives the cookie cannot read this. localStorage rather than sessionStorage, so that a new
 * tab of the same dashboard needs no new sign-in.
 */
import { PAGE_KEY_HEADER } from "../protocol.ts";

const STORAGE_KEY = "panecast.pageKey";

function storage(): Storage | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null;
  }
}

export function storePageKey(key: string): void {
  storage()?.setItem(STORAGE_KEY, key);
}

export function clearPageKey(): void {
  storage()?.removeItem(STORAGE_KEY);
}

/**
 * The stored key, after taking one a form sign-in left in the address's fragment (`#page=…`, which no
 * server sees) and removing it from the address bar.
 */
export function pageKey(): string | null {
  if (typeof window !== "undefined") {
    const m = /(?:^#|&)page=([A-Za-z0-9_-]{43})(?:&|$)/.exec(window.location.hash);
    if (m) {
      storePageKey(m[1]!);
      history.replaceState(history.state, "", window.location.pathname + window.location.search);
    }
  }
  return storage()?.getItem(STORAGE_KEY) ?? null;
}

/** Headers for a state-changing request of this page. */
export function pageKeyHeaders(): Record<string, string> {
  const key = pageKey();
  return key ? { [PAGE_KEY_HEADER]: key } : {};
}
