import type { Agent } from "node:https";
import path from "node:path";
import type { Principal } from "../auth/principal.ts";
import type { Config } from "../config.ts";
import { PushSender } from "./push-sender.ts";
import { PushStore } from "./push-store.ts";
import { loadVapidKeys } from "./vapid.ts";

export interface Push {
  publicKey: string;
  store: PushStore;
  sender: PushSender;
}

/** Web Push from the config: keys and subscriptions in the state directory; null when push is off. */
export function createPush(config: Config, stateDir: string, principalOf: (tokenId: string) => Principal | null, agent?: Agent): Push | null {
  if (!config.push.enabled) return null;
  const vapid = loadVapidKeys(path.join(stateDir, "vapid.json"));
  const store = new PushStore(path.join(stateDir, "push-subscriptions.json"), { perToken: config.push.max_subscriptions_per_token });
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
