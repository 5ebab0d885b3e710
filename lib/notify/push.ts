import type { Agent } from "node:https";
import type { Principal } from "../auth/principal.ts";
import { statePath, type Config } from "../config.ts";
import { PushSender } from "./push-sender.ts";
import { PushStore } from "./push-store.ts";
import { loadVapidKeys } from "./vapid.ts";

export interface Push {
  publicKey: string;
  store: PushStore;
  sender: PushSender;
}

/** Web Push from the config: keys and subscriptions in the data directory; null when push is off. */
export function createPush(config: Config, principalOf: (tokenId: string) => Principal | null, agent?: Agent): Push | null {
  if (!config.push.enabled) return null;
  const vapid = loadVapidKeys(statePath(config.data_dir, "vapid.json"));
  const store = new PushStore(statePath(config.data_dir, "push-subscriptions.json"), { perToken: config.push.max_subscriptions_per_token });
  const sender = new PushSender(store, {
    vapid,
    subject: config.push.subject,
    ttlSeconds: config.push.ttl_seconds,
    basePath: config.server.base_path,
    principalOf,
    ...(agent ? { agent } : {}),
  });
  return { publicKey: vapid.publicKey, store, sender };
}
