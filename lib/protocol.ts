/**
 * The wire contract between the panecast server, the browser and every client: typed Socket.IO event
 * maps and payloads. Types and constants only, no runtime imports, so any client can import it cheaply.
 * Requests are `noun:verb`, pushes are `noun:verbed`; acks are `{ data } | { error }`.
 * Documented with example JSON in docs/protocol.md.
 *
 * One import path for all of it, in files by concept: the enum lists (lib/protocol/lists.ts), panes,
 * agents, documents, and the event maps (lib/protocol/events.ts).
 */
export * from "./protocol/lists.ts";
export type * from "./protocol/panes.ts";
export type * from "./protocol/agents.ts";
export type * from "./protocol/documents.ts";
export type * from "./protocol/events.ts";
export { CLIENT_EVENTS_COMPLETE } from "./protocol/events.ts";

export const PROTOCOL_VERSION = 2;
