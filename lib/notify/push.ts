import type { Agent } from "node:https";
import type { Principal } from "../auth/principal.ts";
import { statePath, type Config } from "../config.ts";
import { PushSender, type PushActions } from "./push-sender.ts";
import { PushStore, type PushSubscriptions } from "./push-store.ts";
import { loadVapidKeys, type VapidKeys } from "./vapid.ts";

export interface Push {
  /** The key pair in use (a cluster node replaces it in place with the cluster's once Redis answers). */
  vapid: VapidKeys;
  store: PushSubscriptions;
  sender: PushSender;
}

/** What a cluster shares instead of the data directory's files (lib/cluster/push-state). */
export interface SharedPush extends PushSubscriptions {
  useVapid(local: VapidKeys): void;
}

/**
 * Web Push from the config: keys and subscriptions in the data directory, or in a cluster the
 * subscriptions and key pair every node shares; null when push is off.
 */
export function createPush(config: Config, principalOf: (tokenId: string) => Principal | null, agent?: Agent, shared?: SharedPush | null, actions?: PushActions): Push | null {
  if (!config.push.enabled) return null;
  const vapid = loadVapidKeys(statePath(config.data_dir, "vapid.json"));
  shared?.useVapid(vapid);
  const store = shared ?? new PushStore(statePath(config.data_dir, "push-subscriptions.json"), { perToken: config.push.max_subscriptions_per_token });
  const sender = new PushSender(store, {
    vapid,
    subject: config.push.subject,
    ttlSeconds: config.push.ttl_seconds,
    basePath: config.server.base_path,
    principalOf,
    ...(agent ? { agent } : {}),
    ...(actions ? { actions } : {}),
  });
  return { vapid, store, sender };
}
