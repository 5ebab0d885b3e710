import { EventEmitter } from "node:events";
import { io as connect, type Socket } from "socket.io-client";
import { unpackBatch, type BatchItems } from "../../lib/client/batch.ts";
import { createPanecast, type PanecastApp } from "../../lib/app.ts";
import { loadConfig } from "../../lib/config.ts";
import type { ClientToServerEvents, HelloPayload, NeedsYouPayload, ServerToClientEvents, SessionsPayload } from "../../lib/protocol.ts";
import type { TestTmux } from "./tmux.ts";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** An audit log path in a scratch folder: tests never write into the checkout. */
export function scratchAudit(): string {
  return path.join(mkdtempSync(path.join(tmpdir(), "panecast-audit-")), "audit.jsonl");
}

/** Each item of every batch the client receives, under its protocol 1 name. */
export type Pushes = EventEmitter<{ [K in keyof BatchItems]: [BatchItems[K]] }>;

export type TestClient = Socket<ServerToClientEvents, ClientToServerEvents> & {
  hello: Promise<HelloPayload>;
  sessions: Promise<SessionsPayload>;
  pushes: Pushes;
  /** The last needs-you queue it was sent (the first comes with the first batch): null before. */
  needsYou: () => NeedsYouPayload | null;
};

/**
 * A real panecast (no Next.js) on 127.0.0.1, port 0, watching a private tmux server. Auth is off
 * unless `env` turns it on (tests of auth pass PANECAST_AUTH=on and their own token file).
 */
export async function startPanecast(tmux: TestTmux, argv: string[] = [], env: Record<string, string> = {}): Promise<{ app: PanecastApp; url: string }> {
  const config = loadConfig({
    argv: ["--port", "0", "--host", "127.0.0.1", "-L", tmux.socketName, ...argv],
    // The state directory (VAPID keys, push subscriptions) sits beside the token file: a scratch one too.
    env: { PANECAST_AUTH: "off", PANECAST_AUDIT: scratchAudit(), PANECAST_TOKENS: path.join(mkdtempSync(path.join(tmpdir(), "panecast-state-")), "tokens.json"), ...env },
  });
  const app = createPanecast(config);
  const url = await app.listen();
  return { app, url };
}

/** A real socket.io client, connected (websocket only, so tests see the same transport every time). */
export async function client(url: string, opts: { path?: string; token?: string; origin?: string } = {}): Promise<TestClient> {
  const u = new URL(url);
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = connect(u.origin, {
    path: opts.path ?? `${u.pathname.replace(/\/$/, "")}/socket.io`,
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
    ...(opts.token ? { auth: { token: opts.token } } : {}),
    ...(opts.origin ? { extraHeaders: { origin: opts.origin } } : {}),
  });
  // The server greets (hello, then a batch with the sessions push) at once on connect: listen before the connection completes.
  const pushes: Pushes = new EventEmitter();
  let queue: NeedsYouPayload | null = null;
  pushes.on("needs-you", (q) => (queue = q));
  socket.on("batch", (b) => {
    for (const [name, payload] of unpackBatch(b)) (pushes.emit as (e: string, p: unknown) => boolean)(name, payload);
  });
  const c = Object.assign(socket, {
    hello: new Promise<HelloPayload>((resolve) => socket.once("hello", resolve)),
    sessions: new Promise<SessionsPayload>((resolve) => pushes.once("sessions", resolve)),
    pushes,
    needsYou: () => queue,
  });
  await new Promise<void>((resolve, reject) => {
    c.once("connect", () => resolve());
    c.once("connect_error", reject);
  });
  return c;
}
