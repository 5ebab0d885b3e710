"use client";

import { pageKeyHeaders } from "@/lib/client/page-key";
import { useState } from "react";
import type { Role } from "@/lib/protocol";
import { roleAtLeast } from "@/lib/roles";
import { useConnectionStatus } from "./fleet";

interface Link {
  url: string;
  role: Role;
  expiresAt: string;
  qr: string;
}

const CHOICES: Role[] = ["viewer", "operator", "admin"];

/**
 * "Sign in a phone": makes a one-time sign-in link (single use, 10 minutes, a role at most this
 * token's) and shows it as a QR code to scan. Only with auth on (otherwise there is nothing to sign in).
 */
export function PhoneSignIn() {
  const { principal, authEnabled } = useConnectionStatus();
  const [link, setLink] = useState<Link | null>(null);
  const [open, setOpen] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  if (!authEnabled || !principal || principal.role === "agent") return null;
  const roles = CHOICES.filter((r) => roleAtLeast(principal.role, r));
  const make = async (role: Role) => {
    setProblem(null);
    const res = await fetch(`${process.env.NEXT_PUBLIC_PANECAST_BASE_PATH ?? ""}/api/login-links`, {
      method: "POST",
      headers: { "content-type": "application/json", ...pageKeyHeaders() },
      body: JSON.stringify({ role, ttl: "10m" }),
    });
    const body = (await res.json().catch(() => null)) as { data?: Link; error?: { message: string } } | null;
    if (body?.data) setLink(body.data);
    else setProblem(body?.error?.message ?? `HTTP ${res.status}`);
  };
  return (
    <>
      <button
        type="button"
        data-testid="phone-sign-in"
        onClick={() => {
          setOpen((o) => !o);
          if (!open && !link) void make(roles.includes("operator") ? "operator" : roles[0]!);
        }}
        className="rounded border border-edge px-2 py-0.5 text-xs text-muted hover:text-fg"
      >
        Sign in a phone
      </button>
      {open && (
        <div role="dialog" aria-label="sign in a phone" data-testid="phone-sign-in-panel" className="absolute right-0 top-full z-40 w-full max-w-xs rounded-bl-lg border border-edge bg-panel p-3 text-xs shadow-xl">
          <p className="mb-2">Scan with the phone: one sign-in, within 10 minutes.</p>
          <label className="mb-2 flex items-center gap-2">
            as
            <select data-testid="phone-sign-in-role" value={link?.role ?? ""} onChange={(e) => void make(e.target.value as Role)} className="rounded border border-edge bg-ink px-1 py-0.5">
              {roles.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </label>
          {link && (
            <>
              {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL made by the server */}
              <img data-testid="phone-sign-in-qr" alt="QR code of the sign-in link" src={`data:image/svg+xml;utf8,${encodeURIComponent(link.qr)}`} className="mx-auto my-2 w-48 bg-white p-1" />
              <a data-testid="phone-sign-in-url" href={link.url} className="block break-all font-mono text-[10px] text-muted" onClick={(e) => e.preventDefault()}>
                {link.url}
              </a>
              <p className="mt-1 text-muted">until {new Date(link.expiresAt).toLocaleTimeString()}</p>
            </>
          )}
          {problem && <p className="text-red-300">{problem}</p>}
        </div>
      )}
    </>
  );
}
