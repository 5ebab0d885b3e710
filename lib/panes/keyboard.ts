import type { TerminalInput } from "../protocol.ts";
import type { TmuxRuntime } from "../tmux/runtime.ts";
import { isPaneId } from "../tmux/target.ts";
import { InvalidTarget } from "../tmux/errors.ts";
import { normalizeText, tmuxLiteral } from "./send-text.ts";
import { paste } from "./sender.ts";

/**
 * Keyboard mode's input to a pane, in order: runs of keys as one `send-keys` with several key names,
 * text with `send-keys -l`, a paste through a tmux buffer (bracketed when the program asked for it).
 * The steps were validated by the caller (lib/protocol/messages.ts: key names from an allow-list
 * grammar, text printable); nothing is checked on screen, as a terminal does not. Everything goes
 * through the runtime with argument arrays.
 */
export async function sendInput(runtime: TmuxRuntime, pane: string, input: readonly TerminalInput[]): Promise<number> {
  if (!isPaneId(pane)) throw new InvalidTarget("invalid pane target: expected %N");
  // Fails with PANE_NOT_FOUND before anything is typed.
  await runtime.read(["display-message", "-p", "-t", pane, "#{pane_id}"]);
  let sent = 0;
  let keys: string[] = [];
  const flushKeys = async (): Promise<void> => {
    if (keys.length === 0) return;
    await runtime.write(["send-keys", "-t", pane, ...keys]);
    sent += keys.length;
    keys = [];
  };
  for (const step of input) {
    if ("key" in step) {
      keys.push(step.key);
      continue;
    }
    await flushKeys();
    if ("text" in step) await runtime.write(["send-keys", "-t", pane, "-l", "--", tmuxLiteral(step.text)]);
    else await paste(runtime, pane, normalizeText(step.paste));
    sent++;
  }
  await flushKeys();
  return sent;
}
