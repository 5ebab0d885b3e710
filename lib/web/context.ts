import type { Documents } from "../dashboard/documents.ts";
import type { DocInfo, DocPayload } from "../protocol.ts";

/**
 * What the custom server shares with Next.js's server components. Next bundles its own copy of lib/,
 * so live objects are handed over through one well-known global instead of module state.
 */
export interface ServerContext {
  documents: Pick<Documents, "list" | "payload">;
}

const KEY = Symbol.for("panecast.server-context");

export function setServerContext(ctx: ServerContext): void {
  (globalThis as Record<symbol, unknown>)[KEY] = ctx;
}

function context(): ServerContext | null {
  return ((globalThis as Record<symbol, unknown>)[KEY] as ServerContext | undefined) ?? null;
}

export function listDocs(): DocInfo[] {
  return context()?.documents.list() ?? [];
}

export async function loadDoc(name: string): Promise<DocPayload | null> {
  return (await context()?.documents.payload(name)) ?? null;
}
