import type { AuditLog } from "../auth/audit.ts";
import { PanecastError } from "../errors.ts";
import { textProblem } from "../panes/send-text.ts";
import type { CloseWatch } from "../panes/close-watch.ts";
import { sendInput } from "../panes/keyboard.ts";
import { sendToPane, type SendRequest } from "../panes/sender.ts";
import type { PaneAnswerRequest, PaneAnswerResult, TerminalInput } from "../protocol.ts";
import type { PaneTracker } from "../panes/tracker.ts";
import { PaneNotFound } from "../tmux/errors.ts";
import type { TmuxRuntime } from "../tmux/runtime.ts";
import type { Asker, LocalCommands } from "./commands.ts";

/**
 * What this node runs when another node asks: a send through its own sender (verified as a local
 * send is), audited here naming the asking node and token; a history read, bounded by this node's
 * `capture.history_lines`. Only panes this node watches are reachable. Sent text passes the same
 * check here as a local `pane:send` (lib/panes/send-text.ts): the asking node is not trusted for it.
 */
export function localCommands(opts: {
  node: string;
  runtime: TmuxRuntime;
  tracker: PaneTracker | null;
  /** Panes typed into from another node are marked here too: read at the frame pace for a while. */
  closeWatch?: CloseWatch;
  audit: AuditLog;
  historyLines: number;
  /** This node's one-tap answer (lib/needs-you/answer), on a pane by its cluster id. */
  answer: (req: PaneAnswerRequest, caller: { token: string; role: Asker["role"] }) => Promise<PaneAnswerResult>;
}): LocalCommands {
  const { node, runtime, tracker, audit } = opts;
  const known = (pane: string): void => {
    if (!tracker?.pane(pane)) throw new PaneNotFound(`${node}/${pane}`);
  };
  return {
    async send(req: SendRequest, asker: Asker) {
      known(req.pane);
      const text = req.text ?? "";
      const problem = textProblem(text);
      if (problem) throw new PanecastError("BAD_REQUEST", problem);
      const base = { event: "send" as const, token: asker.token, role: asker.role, remote: `node:${asker.node}`, target: `${node}/${req.pane}`, bytes: Buffer.byteLength(text) };
      try {
        opts.closeWatch?.typed(req.pane);
        const result = await sendToPane(runtime, req);
        audit.write({ ...base, content: text, outcome: result.verified ? "delivered" : "not-verified", detail: [req.keys?.length ? `keys=${req.keys.join(",")}` : "", result.enterSent ? "enter" : ""].filter(Boolean).join(" ") || undefined });
        return result;
      } catch (err) {
        audit.write({ ...base, outcome: "failed" });
        throw err;
      }
    },
    /** Keyboard mode for another node: one audit line per batch (the asking node batches its own). */
    async keys(pane: string, input: TerminalInput[], asker: Asker) {
      known(pane);
      const base = { event: "keys" as const, token: asker.token, role: asker.role, remote: `node:${asker.node}`, target: `${node}/${pane}`, count: input.length };
      try {
        opts.closeWatch?.typed(pane);
        const sent = await sendInput(runtime, pane, input);
        audit.write({ ...base, outcome: "delivered", keys: input.map((s) => ("key" in s ? s.key : "text" in s ? "(text)" : "(paste)")) });
        return sent;
      } catch (err) {
        audit.write({ ...base, outcome: "failed" });
        throw err;
      }
    },
    /** Another node's page answered this node's item: checked and verified here, audited naming that node. */
    async answer(req: PaneAnswerRequest, asker: Asker) {
      known(req.pane);
      const base = { event: "send" as const, token: asker.token, role: asker.role, remote: `node:${asker.node}`, target: `${node}/${req.pane}`, bytes: 0 };
      try {
        const result = await opts.answer({ ...req, pane: `${node}/${req.pane}` }, { token: asker.token, role: asker.role });
        audit.write({ ...base, outcome: result.outcome, keys: result.keys, detail: `answer: ${result.label.slice(0, 200)}` });
        return result;
      } catch (err) {
        const code = err instanceof PanecastError ? err.code : "INTERNAL";
        audit.write({ ...base, outcome: code === "STALE_PROMPT" ? "stale" : "failed", detail: `answer: choice ${req.choice} (${code})` });
        throw err;
      }
    },
    async history(pane: string, lines: number) {
      known(pane);
      return tracker!.history(pane, Math.min(lines, opts.historyLines));
    },
  };
}
