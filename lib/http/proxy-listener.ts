import { chmodSync, lstatSync, unlinkSync } from "node:fs";
import type { Server as HttpServer } from "node:http";
import { createConnection, createServer, type Server, type Socket } from "node:net";

/** Marks a connection that came in on the proxy listener: only there are X-Forwarded-* believed. */
const VIA_PROXY = Symbol("panecast.viaProxy");

type Marked = Socket & { [VIA_PROXY]?: true };

/** Whether this request's connection came through `server.proxy_listen` (the trusted proxy's own door). */
export function viaProxy(socket: Socket): boolean {
  return (socket as Marked)[VIA_PROXY] === true;
}

/** A `server.proxy_listen` value: a unix socket path (absolute) or host:port. */
export type ProxyListen = { path: string } | { host: string; port: number };

export function parseProxyListen(value: string): ProxyListen {
  if (value.startsWith("/")) return { path: value };
  const at = value.lastIndexOf(":");
  return { host: value.slice(0, at).replace(/^\[|\]$/g, ""), port: Number(value.slice(at + 1)) };
}

/**
 * A second door into the same HTTP server (pages, API and Socket.IO alike) for the reverse proxy
 * alone: a unix socket with mode `mode` (0600 or 0660, so only the proxy's user or group can
 * connect), or a second host:port. Its connections are handed to `http` as its own (the documented
 * `server.emit("connection")`), marked, so forwarded headers are trusted on this door only and any
 * other local process on the main port is just a local client.
 */
export async function listenProxy(http: HttpServer, where: ProxyListen, mode: number): Promise<Server> {
  const server = createServer((socket) => {
    (socket as Marked)[VIA_PROXY] = true;
    http.emit("connection", socket);
  });
  if ("path" in where) await clearStale(where.path);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    if (!("path" in where)) return void server.listen(where.port, where.host, () => resolve());
    // The socket is made with this umask, so there is no moment at which it is open to others.
    const umask = process.umask(0o777 & ~mode);
    try {
      server.listen(where.path, () => resolve());
    } finally {
      process.umask(umask);
    }
  });
  if ("path" in where) chmodSync(where.path, mode);
  return server;
}

/** A socket file left by a panecast that did not stop cleanly is removed; a live one or another file is refused. */
async function clearStale(file: string): Promise<void> {
  let isSocket: boolean;
  try {
    isSocket = lstatSync(file).isSocket();
  } catch {
    return;
  }
  if (!isSocket) throw new Error(`server.proxy_listen: ${file} exists and is not a socket`);
  const live = await new Promise<boolean>((resolve) => {
    const c = createConnection(file);
    c.once("connect", () => {
      c.destroy();
      resolve(true);
    });
    c.once("error", () => resolve(false));
  });
  if (live) throw new Error(`server.proxy_listen: ${file} is in use by another server`);
  unlinkSync(file);
}
