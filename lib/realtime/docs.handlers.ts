import { PanecastError } from "../errors.ts";
import type { RealtimeDeps } from "./deps.ts";
import { DocSubscribeSchema } from "../protocol/messages.ts";
import { handle } from "./handle.ts";
import type { PanecastSocket } from "./types.ts";

/** `doc:subscribe`: the document as it is now; its changes follow in the client's batches (`docs`). */
export function registerDocHandlers(socket: PanecastSocket, deps: Pick<RealtimeDeps, "documents" | "hub">): void {
  handle(socket, "doc:subscribe", DocSubscribeSchema, async (req) => {
    const p = await deps.documents.payload(req.name);
    if (!p) throw new PanecastError("DOC_NOT_FOUND", `no document named ${req.name}`);
    deps.hub.subscribeDoc(socket.id, req.name);
    return p;
  });
}
