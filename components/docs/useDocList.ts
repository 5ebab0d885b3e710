"use client";

import { useEffect, useState } from "react";
import type { DocInfo } from "@/lib/protocol";
import { pageKeyHeaders } from "@/lib/client/page-key";

const base = process.env.NEXT_PUBLIC_PANECAST_BASE_PATH ?? "";

/** The configured documents (the header's tabs), asked of the server once per page. */
export function useDocList(): DocInfo[] {
  const [docs, setDocs] = useState<DocInfo[]>([]);
  useEffect(() => {
    const ask = new AbortController();
    fetch(`${base}/api/docs`, { headers: pageKeyHeaders(), signal: ask.signal })
      .then((res) => (res.ok ? (res.json() as Promise<{ docs?: DocInfo[] }>) : null))
      .then((body) => body?.docs && setDocs(body.docs))
      // Not signed in any more, or the server is away: the tabs stay as they are, the socket says why.
      .catch(() => {});
    return () => ask.abort();
  }, []);
  return docs;
}
