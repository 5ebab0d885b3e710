/**
 * Names shared by the exported pages and the handler that serves them (lib/web/pages.ts). Every
 * `/dashboard/<name>` is served from one exported page, whose client reads the name from the address.
 */
export const DOC_SHELL = "__doc__";

/**
 * Parts of a page the server fills at serve time, for a browser without JavaScript: each is an empty
 * `<noscript data-panecast-slot="…">` in the exported HTML. With JavaScript on, the browser reads a
 * noscript's content as inert text and the client renders the same data from the API or the socket.
 */
export const SLOTS = ["doc", "login-error"] as const;
export type Slot = (typeof SLOTS)[number];
export const SLOT_ATTRIBUTE = "data-panecast-slot";
