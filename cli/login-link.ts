import QRCode from "qrcode";
import { ROLES } from "../lib/protocol.ts";
import { CLIENT_OPTIONS, parseCommand, str, UsageError, type CommandSpec } from "./args.ts";
import { DEFAULT_URL } from "./remote.ts";

export const LOGIN_LINK: CommandSpec = {
  name: "login-link",
  usage: "usage: panecast login-link [--role viewer|operator|admin] [--ttl 10m] [--qr] [--url URL] [--token TOKEN]",
  options: { ...CLIENT_OPTIONS, role: { type: "string" }, ttl: { type: "string" }, qr: { type: "boolean" } },
  positionals: { min: 0, max: 0 },
};

/**
 * `panecast login-link`: asks the running server for a one-time sign-in link (single use, short-lived,
 * a role and session limits at most the token's) and prints it, with --qr as a QR code in the terminal
 * to scan with a phone.
 */
export async function loginLink(argv: string[]): Promise<number> {
  const { values } = parseCommand(LOGIN_LINK, argv);
  const role = str(values, "role");
  if (role !== undefined && (!(ROLES as readonly string[]).includes(role) || role === "agent")) throw new UsageError(`--role ${role}: expected viewer, operator or admin`, LOGIN_LINK.usage);
  const ttl = str(values, "ttl");
  if (ttl !== undefined && !/^\d{1,4}[mh]$/.test(ttl)) throw new UsageError(`--ttl ${ttl}: expected minutes or hours such as 10m (at most 1h)`, LOGIN_LINK.usage);
  const base = (str(values, "url") ?? process.env.PANECAST_URL ?? DEFAULT_URL).replace(/\/$/, "");
  const token = str(values, "token") ?? process.env.PANECAST_TOKEN;
  if (!token) throw new UsageError("a token is required (--token or PANECAST_TOKEN): the link is made for it", LOGIN_LINK.usage);
  let res: Response;
  try {
    res = await fetch(`${base}/api/login-links`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ ...(role ? { role } : {}), ...(ttl ? { ttl } : {}) }),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (err) {
    console.error(`panecast: cannot reach panecast at ${base} (${(err as Error).message})`);
    return 1;
  }
  const body = (await res.json().catch(() => null)) as { data?: { url: string; role: string; expiresAt: string }; error?: { code: string; message: string } } | null;
  if (!res.ok || !body?.data) {
    console.error(`panecast: ${body?.error?.code ?? `HTTP ${res.status}`}: ${body?.error?.message ?? "no link made"}`);
    return 1;
  }
  const { url, expiresAt } = body.data;
  if (values.qr === true) console.log(await QRCode.toString(url, { type: "terminal", small: true }));
  console.log(url);
  console.log(`one sign-in as ${body.data.role}, until ${expiresAt}`);
  return 0;
}
