import { SEND_KEYS, type SendKey } from "../lib/protocol.ts";
import { connectClient } from "./remote.ts";

const KEYS: ReadonlySet<string> = new Set(SEND_KEYS);

/** `panecast send PANE TEXT [--enter] [--key K ...]`: type to an agent over the authenticated channel. */
export async function send(argv: string[]): Promise<number> {
  const keys: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--key") keys.push(argv[++i] ?? "");
    else if (a === "--url" || a === "--token") i++;
    else if (!a.startsWith("--")) rest.push(a);
  }
  const [pane, ...words] = rest;
  const text = words.join(" ");
  const enter = argv.includes("--enter");
  if (!pane || (!text && keys.length === 0 && !enter)) {
    console.error("usage: panecast send PANE TEXT [--enter] [--key KEY ...] [--url URL] [--token TOKEN]");
    return 2;
  }
  const badKey = keys.find((k) => !KEYS.has(k));
  if (badKey !== undefined) {
    console.error(`panecast: --key ${badKey}: expected one of ${[...KEYS].join(", ")}`);
    return 2;
  }
  const client = await connectClient(argv);
  if (!client) return 1;
  try {
    const r = await client.send({ pane, ...(text ? { text } : {}), ...(keys.length ? { keys: keys as SendKey[] } : {}), ...(enter ? { enter } : {}) });
    if (text && !r.verified) {
      console.error(`panecast: the text did not show up on ${pane} after ${r.attempts} tries; Enter was not pressed`);
      return 1;
    }
    console.log(`sent to ${pane}: ${[text ? `${r.bytes} bytes (seen on the pane)` : "", r.keysSent ? `${r.keysSent} keys` : "", r.enterSent ? "Enter" : ""].filter(Boolean).join(", ")}`);
    return 0;
  } catch (err) {
    const e = err as { code?: string; message?: string };
    console.error(`panecast: ${e.code ?? "ERROR"}: ${e.message ?? String(err)}`);
    return 1;
  } finally {
    client.close();
  }
}
