import type { Config } from "../lib/config.ts";
import type { Tokens } from "../lib/auth/auth.ts";
import { TokenStore } from "../lib/auth/tokens.ts";
import { closeClient, redisClient } from "../lib/cluster/redis.ts";
import { ClusterCookieKey } from "../lib/cluster/cookie-key.ts";
import { RedisTokenStore } from "../lib/cluster/tokens.ts";

/** Redis could not be reached within the connect timeout: the CLI says so and exits 1. */
export class Unreachable extends Error {}

export interface OpenTokens {
  store: Tokens;
  /** Resolves when every change made so far is in Redis and announced to the nodes (throws if one is not). */
  settle(): Promise<void>;
  close(): Promise<void>;
  /** A cluster's cookie key is in Redis: rotates it for every node (absent: the key is this node's file). */
  rotateKey?: () => Promise<void>;
}

/**
 * The tokens the CLI manages: the token file (auth.tokens_path), or with cluster.redis_url
 * (PANECAST_REDIS_URL) the cluster's tokens in Redis, which every node verifies against.
 */
export async function openTokens(config: Config): Promise<OpenTokens> {
  const url = config.cluster.redis_url;
  if (!url) return { store: new TokenStore(config.auth.tokens_path), settle: async () => {}, close: async () => {} };
  const redis = redisClient(url, "cli");
  try {
    await Promise.race([
      redis.connect(),
      new Promise((_, reject) => setTimeout(() => reject(new Unreachable(`redis at ${url.replace(/\/\/[^@]*@/, "//***@")} is not reachable`)), 5000).unref()),
    ]);
    const shared = new RedisTokenStore(redis);
    await shared.load();
    return {
      store: shared,
      rotateKey: () => ClusterCookieKey.rotate(redis),
      settle: async () => {
        await shared.settled();
        if (shared.lastError) throw shared.lastError;
      },
      close: () => closeClient(redis),
    };
  } catch (err) {
    await closeClient(redis);
    throw err;
  }
}
