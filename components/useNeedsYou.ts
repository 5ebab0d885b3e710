"use client";

import { useSyncExternalStore } from "react";
import type { NeedsYouPayload } from "@/lib/protocol";
import { useFleet } from "./fleet";

const EMPTY: NeedsYouPayload = { open: [], resolved: [] };

/** The server's needs-you queue: open items oldest first, and the recent resolved ones. */
export function useNeedsYou(): NeedsYouPayload {
  const { state } = useFleet();
  return useSyncExternalStore(
    (cb) => state.on("needs-you", cb),
    () => state.needsYou,
    () => EMPTY,
  );
}
