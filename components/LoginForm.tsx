"use client";

import { useEffect, useRef, useState } from "react";
import { safeNext } from "@/lib/auth/next-path";
import { storePageKey } from "@/lib/client/page-key";
import { LOGIN_MESSAGES, loginMessage } from "@/lib/auth/login-messages";
import { NoScriptSlot } from "./NoScriptSlot";

const base = process.env.NEXT_PUBLIC_PANECAST_BASE_PATH ?? "";
const MESSAGES = LOGIN_MESSAGES;

/**
 * Trades a token for a session cookie. Works as a plain form without JavaScript; with it, a login
 * link's `#token=…` (never sent to any server log) signs in at once.
 */
export function LoginForm() {
  // `?next=` and `?error=` are read from the address once the page runs (it is a static page; the
  // server fills the form's `next` and the message in for a browser without JavaScript).
  const [next, setNext] = useState("/");
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  async function login(token: string, to = next): Promise<void> {
    setBusy(true);
    setMessage(null);
    const res = await fetch(`${base}/api/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token }) });
    if (res.ok) {
      const body = (await res.json().catch(() => null)) as { data?: { pageKey?: string } } | null;
      if (body?.data?.pageKey) storePageKey(body.data.pageKey);
      // Checked again here: this is where the browser goes, whatever the page was handed.
      const target = safeNext(to);
      window.location.replace(base && target === "/" ? base : `${base}${target}`);
      return;
    }
    setBusy(false);
    if (res.status !== 429) return setMessage(MESSAGES.token!);
    // Two limits answer 429: the address's failed attempts, and this (valid) token's logins.
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    setMessage(/this token/.test(body?.error?.message ?? "") ? MESSAGES.logins! : MESSAGES.rate!);
  }

  useEffect(() => {
    const params = new URLSearchParams(window.location.search);
    const to = safeNext(params.get("next"));
    setNext(to);
    setMessage(loginMessage(params.get("error")));
    const m = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
    if (m) {
      history.replaceState(null, "", window.location.pathname + window.location.search);
      void login(decodeURIComponent(m[1]!), to);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <form
      method="post"
      action={`${base}/api/login`}
      onSubmit={(e) => {
        e.preventDefault();
        void login(input.current?.value.trim() ?? "");
      }}
      className="flex flex-col gap-3"
    >
      <input type="hidden" name="next" value={next} />
      <label className="text-xs text-muted" htmlFor="token">
        Access token
      </label>
      <input
        ref={input}
        id="token"
        name="token"
        type="password"
        autoComplete="current-password"
        required
        data-testid="login-token"
        placeholder="pc_…"
        className="rounded border border-edge bg-panel px-3 py-2 font-mono text-sm outline-none focus:border-accent"
      />
      <button type="submit" disabled={busy} data-testid="login-submit" className="rounded bg-accent px-3 py-2 text-sm font-semibold text-ink disabled:opacity-60">
        {busy ? "Signing in…" : "Sign in"}
      </button>
      {message && (
        <p role="alert" data-testid="login-error" className="text-sm text-red-300">
          {message}
        </p>
      )}
      <NoScriptSlot name="login-error" />
    </form>
  );
}
