import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import webpush from "web-push";
import { z } from "zod";

const KeysSchema = z.object({
  publicKey: z.string().regex(/^[A-Za-z0-9_-]{86,88}$/),
  privateKey: z.string().regex(/^[A-Za-z0-9_-]{42,44}$/),
});

export type VapidKeys = z.infer<typeof KeysSchema>;

/**
 * The server's VAPID key pair: made on the first start and kept (0600) in the state directory, so
 * browsers' subscriptions, which are bound to the public key, outlive restarts.
 */
export function loadVapidKeys(file: string): VapidKeys {
  if (existsSync(file)) {
    const parsed = KeysSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
    if (parsed.success) return parsed.data;
    throw new Error(`VAPID key file ${file} is damaged: remove it to make a new pair (browsers then subscribe again)`);
  }
  const keys = webpush.generateVAPIDKeys();
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(keys)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
  return keys;
}
