"use client";

import { useEffect, useState } from "react";
import type { DocPayload } from "@/lib/protocol";
import { useConnectionStatus, useFleet } from "../fleet";

export type DocLink = "connecting" | "live" | "reconnecting";

/**
 * A document as the server has it now: the subscription's answer, then its changes on the page's
 * connection (the `docs` of each batch); null until the first answer. The connection subscribes again
 * after every reconnect, so nothing is missed while away; it is live only once the document is subscribed.
 */
export function useLiveDoc(name: string): { doc: DocPayload | null; link: DocLink } {
  const conn = useFleet();
  const [doc, setDoc] = useState<DocPayload | null>(null);
  const status = useConnectionStatus();
  useEffect(() => conn.watchDoc(name, setDoc), [conn, name]);
  const link: DocLink = status.state === "live" ? "live" : status.state === "connecting" && status.attempt === 0 ? "connecting" : "reconnecting";
  return { doc, link };
}

export function LinkBadge({ link }: { link: DocLink }) {
  const look = link === "live" ? "bg-emerald-400" : "bg-amber-400 animate-pulse";
  return (
    <span data-testid="doc-status" data-state={link} className="flex items-center gap-1.5 text-xs text-muted">
      <span className={`h-2 w-2 rounded-full ${look}`} aria-hidden />
      {link}
    </span>
  );
}
