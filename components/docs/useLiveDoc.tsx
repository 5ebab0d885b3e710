"use client";

import { useEffect, useState } from "react";
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, DocPayload, ServerToClientEvents } from "@/lib/protocol";

export type DocLink = "connecting" | "live" | "reconnecting";

/**
 * A document as the server has it now: starts from the server-rendered payload, then follows
 * its changes (the `docs` of each batch). Re-subscribes after every reconnect, so nothing is missed while away.
 */
export function useLiveDoc(initial: DocPayload): { doc: DocPayload; link: DocLink } {
  const [doc, setDoc] = useState(initial);
  const [link, setLink] = useState<DocLink>("connecting");
  useEffect(() => setDoc(initial), [initial]);
  useEffect(() => {
    const base = process.env.NEXT_PUBLIC_PANECAST_BASE_PATH ?? "";
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
      path: `${base}/socket.io`,
      transports: ["websocket", "polling"],
      tryAllTransports: true,
      reconnectionDelayMax: 10_000,
      randomizationFactor: 0.3,
    });
    socket.on("connect", () => {
      void socket.emitWithAck("doc:subscribe", { name: initial.name }).then((r) => {
        if ("data" in r) setDoc(r.data);
        setLink("live");
      });
    });
    socket.on("disconnect", () => setLink("reconnecting"));
    socket.on("batch", (b) => {
      for (const p of b.docs ?? []) if (p.name === initial.name) setDoc(p);
    });
    return () => {
      socket.disconnect();
    };
  }, [initial.name]);
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
