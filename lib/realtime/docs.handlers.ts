import type { Socket } from "socket.io";
import { PanecastError } from "../errors.ts";
import type { Documents } from "../dashboard/documents.ts";
import type { ClientToServerEvents, ServerToClientEvents } from "../protocol.ts";
import { DocSubscribeSchema } from "./messages.ts";
import { handle } from "./handle.ts";


export function docRoom(name: string): string {
  return `doc:${name}`;
}

/** `doc:subscribe`: join the document's room and get it as it is now; changes follow as `doc:updated`. */
export function registerDocHandlers(socket: Socket<ClientToServerEvents, ServerToClientEvents>, docs: Documents): void {
  handle(socket, "doc:subscribe", DocSubscribeSchema, async (req) => {
    const p = await docs.payload(req.name);
    if (!p) throw new PanecastError("DOC_NOT_FOUND", `no document named ${req.name}`);
    await socket.join(docRoom(req.name));
    return p;
  });
}
