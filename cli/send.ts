import { SEND_KEYS, type SendKey } from "../lib/protocol.ts";
import { CLIENT_OPTIONS, parseCommand, UsageError, type CommandSpec } from "./args.ts";
import { resolvePane } from "./pane-target.ts";
import { plural } from "../lib/plural.ts";
import { connectClient } from "./remote.ts";

const KEYS: ReadonlySet<string> = new Set(SEND_KEYS);

export const SEND: CommandSpec = {
  name: "send",
  usage: "usage: panecast send PANE [TEXT ...]   (PANE: %3, session:window.pane or @agent_id) [--enter] [--multiline] [--key KEY ...] [--url URL] [--token TOKEN]   (text starting with '-': put it after --)",
  options: { ...CLIENT_OPTIONS, enter: { type: "boolean" }, multiline: { type: "boolean" }, key: { type: "string", multiple: true } },
  positionals: { min: 1, max: 10_000 },
};

/** `panecast send PANE TEXT [--enter] [--key K ...]`: type to an agent over the authenticated channel. */
export async function send(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(SEND, argv);
  const keys = (values.key as string[] | undefined) ?? [];
  const [target, ...words] = positionals;
  const text = words.join(" ");
  const enter = values.enter === true;
  // Line breaks may run each line as it arrives (unless the program asked for bracketed paste): the
  // user says so with --multiline.
  if (/[\r\n]/.test(text) && values.multiline !== true) {
    throw new UsageError("the text has line breaks, and each line may run as it arrives, Enter or not: add --multiline if that is meant", SEND.usage);
  }
  if (!target || (!text && keys.length === 0 && !enter)) throw new UsageError("nothing to send: give TEXT, --key or --enter", SEND.usage);
  const badKey = keys.find((k) => !KEYS.has(k));
  if (badKey !== undefined) throw new UsageError(`--key ${badKey}: expected one of ${[...KEYS].join(", ")}`, SEND.usage);
  const client = await connectClient(values);
  if (!client) return 1;
  try {
    const found = resolvePane(client.mirror.topology, target);
    if ("error" in found) {
      console.error(`panecast: ${found.error}`);
      return 1;
    }
    const pane = found.pane;
    const r = await client.send({ pane, ...(text ? { text } : {}), ...(keys.length ? { keys: keys as SendKey[] } : {}), ...(enter ? { enter } : {}), ...(values.multiline === true ? { multiline: true } : {}) });
    if (text && !r.verified) {
      console.error(`panecast: the text did not show up on ${pane} after ${r.attempts} tries; Enter was not pressed`);
      return 1;
    }
    console.log(`sent to ${pane}: ${[text ? `${plural(r.bytes, "byte")} (seen on the pane)` : "", r.keysSent ? plural(r.keysSent, "key") : "", r.enterSent ? "Enter" : ""].filter(Boolean).join(", ")}`);
    return 0;
  } catch (err) {
    const e = err as { code?: string; message?: string };
    console.error(`panecast: ${e.code ?? "ERROR"}: ${e.message ?? String(err)}`);
    return 1;
  } finally {
    client.close();
  }
}
