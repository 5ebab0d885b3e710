import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import type { AuditLog } from "../auth/audit.ts";
import { sessionVisible, type Principal } from "../auth/principal.ts";
import type { RateLimiter } from "../auth/rate-limit.ts";
import { PanecastError, toWireError } from "../errors.ts";
import type { AnswerCapabilities } from "../needs-you/capabilities.ts";
import type { NeedsYouItem, PaneAnswerRequest, PaneAnswerResult } from "../protocol.ts";
import type { Caller } from "../protocol/caller.ts";
import { roleAtLeast } from "../roles.ts";
import { readBody, send } from "./respond.ts";

const BodySchema = z.object({ capability: z.string().regex(/^[A-Za-z0-9_-]{32}$/, "a capability"), choice: z.number().int().min(0).max(8) }).strict();

export interface AnswerRouteDeps {
  caps: AnswerCapabilities;
  /** The open item of a pane (in a cluster: any node's). */
  queue: { item(pane: string): NeedsYouItem | undefined };
  principalOf: (tokenId: string) => Principal | null;
  answer: (req: PaneAnswerRequest, caller: Caller) => Promise<PaneAnswerResult>;
  audit: AuditLog;
  sends: RateLimiter;
}

const STATUS: Partial<Record<string, number>> = { BAD_REQUEST: 400, UNAUTHORIZED: 401, FORBIDDEN: 403, STALE_PROMPT: 409, RATE_LIMITED: 429, PANE_NOT_FOUND: 404 };

/**
 * POST /api/answer `{ capability, choice }`: a push notification's answer button (the service worker
 * posts it; no cookie needed). The capability names the token, pane, item and prompt; the token must
 * still be an operator that sees the pane's session. Then it is a one-tap answer as that token
 * (STALE_PROMPT when the prompt changed), audited as such.
 */
export function createAnswerRoute(deps: AnswerRouteDeps): (req: IncomingMessage, res: ServerResponse, ip: string) => Promise<void> {
  return async (req, res, ip) => {
    if (req.method !== "POST") return send(res, 405, { error: { code: "BAD_REQUEST", message: "POST only" } }, { allow: "POST" });
    const raw = await readBody(req, 1024);
    let parsed: z.infer<typeof BodySchema>;
    try {
      const r = BodySchema.safeParse(raw ? JSON.parse(raw) : null);
      if (!r.success) throw new PanecastError("BAD_REQUEST", r.error.issues[0]?.message ?? "invalid body");
      parsed = r.data;
    } catch (err) {
      return fail(res, err instanceof PanecastError ? err : new PanecastError("BAD_REQUEST", "a JSON body"));
    }
    const cap = await deps.caps.take(parsed.capability).catch(() => null);
    if (!cap) {
      deps.audit.write({ event: "send", remote: ip, outcome: "refused", detail: "answer: unknown, used or expired capability" });
      return fail(res, new PanecastError("UNAUTHORIZED", "this answer link is unknown, used or expired"));
    }
    const principal = deps.principalOf(cap.tokenId);
    const item = deps.queue.item(cap.pane);
    if (!principal || !roleAtLeast(principal.role, "operator") || (item && !sessionVisible(principal, item.session))) {
      deps.audit.write({ event: "send", token: principal?.name ?? null, role: principal?.role ?? null, remote: ip, target: cap.pane, outcome: "refused", detail: "answer: the token may no longer answer" });
      return fail(res, new PanecastError("FORBIDDEN", "the token behind this notification may not answer this pane"));
    }
    const record = { event: "send" as const, token: principal.name, role: principal.role, remote: ip, target: cap.pane, bytes: 0 };
    if (!deps.sends.take(`t:${principal.tokenId}`)) return fail(res, new PanecastError("RATE_LIMITED", "too many sends"));
    try {
      const result = await deps.answer({ pane: cap.pane, itemId: cap.itemId, choice: parsed.choice, promptHash: cap.promptHash }, { token: principal.name, role: principal.role });
      deps.audit.write({ ...record, outcome: result.outcome, keys: result.keys, detail: `answer from a notification: ${result.label.slice(0, 200)}` });
      return send(res, 200, { data: result });
    } catch (err) {
      const e = toWireError(err);
      deps.audit.write({ ...record, outcome: e.code === "STALE_PROMPT" ? "stale" : "failed", detail: `answer from a notification: choice ${parsed.choice} (${e.code})` });
      return fail(res, err);
    }
  };
}

function fail(res: ServerResponse, err: unknown): void {
  const e = toWireError(err);
  send(res, STATUS[e.code] ?? 500, { error: e });
}
