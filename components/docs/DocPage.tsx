"use client";

import { usePathname } from "next/navigation";
import { useEffect, useState } from "react";
import { NoScriptSlot } from "../NoScriptSlot";
import { DocShell } from "./DocShell";
import { MarkdownView } from "./MarkdownView";

/**
 * The dashboard named by the address (`/dashboard/<name>`): one exported page serves them all, so the
 * name is read from the address once the page runs, and again after each navigation between tabs.
 */
export function DocPage() {
  const pathname = usePathname();
  const [name, setName] = useState<string | null>(null);
  useEffect(() => {
    // Matched, not sliced at the base path's length: the build folds that length for the placeholder.
    const tail = /\/dashboard\/([^/]+)\/?$/.exec(window.location.pathname)?.[1] ?? "";
    try {
      setName(decodeURIComponent(tail));
    } catch {
      setName(tail);
    }
  }, [pathname]);
  return (
    <DocShell width="max-w-6xl" current={name === null ? "" : `doc:${name}`}>
      {name === null ? <NoScriptSlot name="doc" /> : <MarkdownView key={name} name={name} />}
    </DocShell>
  );
}
