/** Every Redis key and channel panecast uses, in one place, under one prefix. */
const P = "panecast:";

export const keys = {
  /** Stream of pane updates, topologies and removals from every node (trimmed with MAXLEN ~). */
  updates: `${P}updates`,
  /** Hash: node → its last heartbeat record (JSON). */
  nodes: `${P}nodes`,
  /** String with a TTL: present while the node is alive. */
  alive: (node: string) => `${P}alive:${node}`,
  /** String: the node's topology (JSON, ids local to the node). */
  topology: (node: string) => `${P}topology:${node}`,
  /** Hash: local pane id → current frame (JSON); one field per pane. */
  frames: (node: string) => `${P}frames:${node}`,
  /** Pub/sub: commands for a node (send, history). */
  commands: (node: string) => `${P}cmd:${node}`,
  /** Pub/sub: answers to the commands a node asked. */
  replies: (node: string) => `${P}reply:${node}`,
  /** Pub/sub: a node announces it is leaving. */
  leaving: `${P}leaving`,
  /** Pub/sub: a node announces its first heartbeat since it started (or since Redis came back). */
  joined: `${P}joined`,
  /** Hash: token id → token record (JSON, hashed secret). */
  tokens: `${P}tokens`,
  /** String: set once Redis holds panecast's data; its absence after a load means Redis lost it. */
  present: `${P}present`,
  /** Pub/sub: the token set changed. */
  tokensChanged: `${P}tokens-changed`,
  /** String: the node that made the first admin token (set once). */
  bootstrap: `${P}bootstrap`,
  /** Stream of fleet events (trimmed with MAXLEN ~). */
  events: `${P}events`,
  /** Hash: a node's last resources sample and git states (fields `resources`, `git`; JSON). */
  facts: (node: string) => `${P}facts:${node}`,
  /** Pub/sub: a node wrote its facts (the message is its name). */
  factsChanged: `${P}facts-changed`,
  /** String with a TTL: who wrote a once-per-cluster event (a node going offline or coming back). */
  claim: (what: string) => `${P}claim:${what}`,
  /** Hash: SHA-256 of a login session id → {tokenId, expiresAt} (JSON). */
  sessions: `${P}sessions`,
  /** Pub/sub: a login session was opened (`o <hash>`), ended (`e <hash>`), or all were (`a`). */
  sessionsChanged: `${P}sessions-changed`,
  /** Counter: a token's logins in one minute, on every node together (expires after two minutes). */
  logins: (tokenId: string, minute: number) => `${P}logins:${tokenId}:${minute}`,
  /** String: the key that signs session cookies (64 hex digits), the same on every node. */
  cookieKey: `${P}cookie-key`,
  /** Pub/sub: the cookie key was rotated. */
  cookieKeyChanged: `${P}cookie-key-changed`,
  /** Hash: node → its needs-you queue (JSON: open items and recent resolved ones, cluster pane ids). */
  needsYou: `${P}needs-you`,
  /** Pub/sub: a node wrote its needs-you queue (the message is its name). */
  needsYouChanged: `${P}needs-you-changed`,
  /** String with a TTL: a one-time sign-in link, by the SHA-256 of its code (JSON grant). */
  loginLink: (hash: string) => `${P}login-link:${hash}`,
  /** String with a TTL: a push answer capability, by the SHA-256 of its secret (JSON). */
  answerCap: (hash: string) => `${P}answer-cap:${hash}`,
  /** Hash: SHA-256 of (token id, endpoint) → a Web Push subscription (JSON, keys sealed). */
  pushSubscriptions: `${P}push-subscriptions`,
  /** Pub/sub: the push subscriptions changed. */
  pushChanged: `${P}push-changed`,
  /** String: the cluster's VAPID key pair (JSON, private key sealed), made once by the first node. */
  vapid: `${P}vapid`,
} as const;
