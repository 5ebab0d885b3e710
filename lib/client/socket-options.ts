import type { ConnectionOptions } from "./connection-types.ts";

/**
 * How a client's socket connects: under the base path; with its token (Node clients), or with the
 * page key that proves a cookie-signed-in page is panecast's own (read at each attempt: the key may
 * change between them); reconnecting is the connection's own (backoff with a countdown), not the
 * library's.
 */
export function socketOptionsOf(opts: ConnectionOptions) {
  return {
    path: `${opts.basePath ?? ""}/socket.io`,
    ...(opts.token ? { auth: { token: opts.token } } : opts.pageKey ? { auth: (cb: (data: object) => void) => cb({ page: opts.pageKey?.() ?? "" }) } : {}),
    reconnection: false,
    transports: opts.transports ?? ["websocket", "polling"],
    tryAllTransports: true,
  };
}
