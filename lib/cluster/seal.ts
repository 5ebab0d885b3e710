import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

/** Seals secrets written to Redis (push subscriptions' keys, the VAPID private key). */
export interface Sealer {
  /** Whether values are encrypted (`cluster.secret` set), or only encoded. */
  readonly encrypts: boolean;
  seal(plain: string): string;
  /** The plain text; null for a value sealed under another secret, or damaged. */
  open(sealed: string): string | null;
}

/**
 * AES-256-GCM under a key derived (HKDF-SHA256) from `cluster.secret`, which lives in each node's
 * settings and never in Redis: whoever reads Redis (a dump, a replica, a shared instance) learns no
 * push endpoint, browser key or VAPID private key. Without the setting values are stored as they are
 * (`p.` prefix), and the node says so when it starts.
 */
export function sealer(secret: string | null): Sealer {
  if (!secret) {
    return {
      encrypts: false,
      seal: (plain) => `p.${Buffer.from(plain).toString("base64url")}`,
      open: (s) => (s.startsWith("p.") ? Buffer.from(s.slice(2), "base64url").toString() : null),
    };
  }
  const key = Buffer.from(hkdfSync("sha256", secret, "panecast", "panecast cluster secrets v1", 32));
  return {
    encrypts: true,
    seal(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv("aes-256-gcm", key, iv);
      const body = Buffer.concat([c.update(plain, "utf8"), c.final()]);
      return `e1.${iv.toString("base64url")}.${body.toString("base64url")}.${c.getAuthTag().toString("base64url")}`;
    },
    open(s) {
      const m = /^e1\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]*)\.([A-Za-z0-9_-]{22})$/.exec(s);
      if (!m) return null;
      try {
        const d = createDecipheriv("aes-256-gcm", key, Buffer.from(m[1]!, "base64url"));
        d.setAuthTag(Buffer.from(m[3]!, "base64url"));
        return Buffer.concat([d.update(Buffer.from(m[2]!, "base64url")), d.final()]).toString("utf8");
      } catch {
        return null;
      }
    },
  };
}
