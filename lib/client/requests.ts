import type { Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../protocol.ts";

// How the connection asks the server: `ask` for a caller's request that wants its answer, `request`
// for the connection's own requests whose answer must be applied in order with the batches.

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** The requests answered through `ask`. */
export type AskedEvent = "pane:send" | "pane:answer" | "pane:keys" | "recording:frames" | "search";
/** What the server acknowledges a request with (the ack callback's argument). */
export type AnswerOf<E extends AskedEvent> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0];

/** One request and its answer, or a coded error when not connected or no answer came in 20 s. */
export async function ask<E extends AskedEvent>(s: ClientSocket | null, event: E, req: Parameters<ClientToServerEvents[E]>[0]): Promise<AnswerOf<E>> {
  if (!s?.connected) return { error: { code: "INTERNAL", message: "not connected" } };
  const t = s.timeout(20_000);
  // Socket.IO's typings take one literal event name per call; the union is checked by AskedEvent.
  const emit = t.emitWithAck as unknown as (ev: E, r: typeof req) => Promise<AnswerOf<E>>;
  try {
    return await emit.call(t, event, req);
  } catch {
    return { error: { code: "TMUX_TIMEOUT", message: "no answer from the server" } };
  }
}

/**
 * Sends a request and hands its answer to `apply` inside the ack callback. Socket.IO calls that as
 * the answer is decoded, in order with the batches around it. A promise (emitWithAck) would resume
 * only after the rest of the same read: Node's ws client delivers every frame of one TCP read in one
 * task, so a batch sent after the answer would be applied before it (and then overwritten by it, or
 * dropped as a gap). Resolves once the answer is applied, or when none came within `timeoutMs`.
 */
export function request<A>(send: (ack: (err: Error | null, res: A) => void) => void, apply: (res: A) => void): Promise<void> {
  return new Promise((resolve) => {
    send((err, res) => {
      if (!err) apply(res);
      resolve();
    });
  });
}
