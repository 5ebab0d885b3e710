import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { AGENT_TYPES, ANSWER_OUTCOMES, NEEDS_YOU_STATES, SEND_KEYS, type NeedsYouPayload } from "../protocol.ts";

export const ItemSchema = z.object({
  id: z.string().max(64),
  pane: z.string().max(80),
  node: z.string().max(64).optional(),
  session: z.string().max(256),
  window: z.number().int(),
  state: z.enum(NEEDS_YOU_STATES),
  agentType: z.enum(AGENT_TYPES),
  agentId: z.string().max(256).nullable(),
  since: z.string().max(40),
  line: z.string().max(1000).nullable(),
  reason: z.string().max(64).optional(),
  choices: z.array(z.object({ label: z.string().max(200), keys: z.array(z.enum(SEND_KEYS)).max(12) })).max(9),
  promptHash: z.string().max(16).nullable(),
  answer: z.object({ outcome: z.enum(ANSWER_OUTCOMES), label: z.string().max(200), by: z.string().max(128), at: z.string().max(40) }).optional(),
  resolvedAt: z.string().max(40).optional(),
});

/** A queue as written to disk or to Redis: bounded like the queue itself. */
export const QueueSchema = z.object({ open: z.array(ItemSchema).max(10_000), resolved: z.array(ItemSchema).max(1000) });
const FileSchema = z.object({ version: z.literal(1), open: z.array(ItemSchema), resolved: z.array(ItemSchema) });

/** A state file larger than this is not read (the queue is bounded far below it). */
const MAX_FILE_BYTES = 4 * 1024 * 1024;

/**
 * The needs-you queue on disk (`needs-you.json` in the state directory, 0600), so open items and the
 * recent resolved ones survive a reload and a restart. Written whole, atomically (temp file, rename);
 * a missing, oversized or malformed file reads as an empty queue.
 */
export class NeedsYouStore {
  readonly file: string;

  constructor(file: string) {
    this.file = file;
  }

  load(): NeedsYouPayload {
    const empty: NeedsYouPayload = { open: [], resolved: [] };
    try {
      if (!existsSync(this.file) || statSync(this.file).size > MAX_FILE_BYTES) return empty;
      const parsed = FileSchema.safeParse(JSON.parse(readFileSync(this.file, "utf8")));
      return parsed.success ? { open: parsed.data.open, resolved: parsed.data.resolved } : empty;
    } catch {
      return empty;
    }
  }

  save(q: NeedsYouPayload): void {
    mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    writeFileSync(tmp, `${JSON.stringify({ version: 1, ...q })}\n`, { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.file);
  }
}
