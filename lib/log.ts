import { randomBytes } from "node:crypto";
import pino from "pino";

/**
 * Structured JSON logs (pino) on stderr, so stdout stays for what a person reads at start-up.
 * Level: env PANECAST_LOG_LEVEL (trace, debug, info, warn, error, fatal, silent); default info.
 */
export const log = pino(
  {
    name: "panecast",
    level: process.env.PANECAST_LOG_LEVEL ?? "info",
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  },
  pino.destination({ fd: 2, sync: false }),
);

/** A short id that ties an error a client sees to the log line that explains it. */
export function requestId(): string {
  return randomBytes(6).toString("hex");
}
