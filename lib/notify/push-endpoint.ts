/**
 * Whether a push subscription's endpoint is at an allowed push service (`push.allowed_endpoints`):
 * https only, its origin equal to an entry, or under an entry's `*.` wildcard. Anything else is
 * refused, so no token can make the server post to an internal address.
 */
export function endpointAllowed(endpoint: string, allowed: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return false;
  }
  if (url.protocol !== "https:" || url.username || url.password) return false;
  return allowed.some((entry) => {
    const m = /^https:\/\/(\*\.)?([^/:]+)(?::(\d+))?$/.exec(entry);
    if (!m) return false;
    const [, wildcard, host, port] = m;
    if ((port ?? "") !== url.port) return false;
    const h = url.hostname.toLowerCase();
    const want = host!.toLowerCase();
    return wildcard ? h.endsWith(`.${want}`) : h === want;
  });
}
