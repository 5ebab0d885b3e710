import type { Principal } from "../auth/principal.ts";
import type { PaneAlert } from "../protocol.ts";
import { roleAtLeast } from "../roles.ts";
import type { AnswerCapabilities } from "./capabilities.ts";
import type { NeedsYouQueue } from "./queue.ts";

/** The buttons of a push notification, and what its answer buttons post. */
export interface PushActions {
  actions: Array<{ action: string; title: string }>;
  answer?: { url: string; capability: string };
}

/** Answer buttons a notification carries (browsers show two or three actions). */
const MAX_ANSWERS = 2;

/**
 * The actions of a waiting pane's notification for one subscription: for an operator's, its first
 * choices as answer buttons with a capability made for that token, item and prompt, then "Open"; for
 * anyone else (or a prompt without choices), "Open" only.
 */
export function pushActionsFor(queue: NeedsYouQueue, caps: AnswerCapabilities, basePath: string): (alert: PaneAlert, principal: Principal) => Promise<PushActions | null> {
  return async (alert, principal) => {
    const item = queue.item(alert.pane);
    if (alert.kind !== "waiting-for-input" || item?.state !== "waiting-for-input") return null;
    const open = { action: "open", title: "Open" };
    if (!roleAtLeast(principal.role, "operator") || item.choices.length === 0 || !item.promptHash) return { actions: [open] };
    const capability = await caps.issue({ tokenId: principal.tokenId, pane: item.pane, itemId: item.id, promptHash: item.promptHash });
    const answers = item.choices.slice(0, MAX_ANSWERS).map((c, i) => ({ action: `answer:${i}`, title: c.label.slice(0, 40) }));
    return { actions: [...answers, open], answer: { url: `${basePath}/api/answer`, capability } };
  };
}
