/**
 * Errors that may reach a client. Every one has a stable code and a message that is safe to show:
 * no stack, no tmux stderr, no file path. Details for the log travel in `detail`, never on the wire.
 */
import type { ErrorCode } from "./protocol.ts";

export type { ErrorCode };

export interface WireError {
  code: ErrorCode;
  message: string;
}

export class PanecastError extends Error {
  readonly code: ErrorCode;
  /** For the server log only. */
  readonly detail: string | undefined;

  constructor(code: ErrorCode, message: string, detail?: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.detail = detail;
  }
}

/** The client-safe form of any thrown value. Unknown errors never leak their message. */
export function toWireError(err: unknown): WireError {
  if (err instanceof PanecastError) return { code: err.code, message: err.message };
  return { code: "INTERNAL", message: "internal error" };
}
