import type { IncomingMessage, ServerResponse } from "node:http";
import type { Principal } from "../auth/principal.ts";
import { endpointAllowed } from "../notify/push-endpoint.ts";
import { PushSubscriptionSchema, type PushSubscriptions } from "../notify/push-store.ts";
import { readBody, send } from "./respond.ts";

export interface PushRouteDeps {
  /** The VAPID public key (read on each request: a cluster node adopts the cluster's pair once Redis answers). */
  vapid: { readonly publicKey: string };
  store: PushSubscriptions;
  allowedEndpoints: readonly string[];
}

/**
 * GET /api/push/vapid-key → `{ key }`; POST /api/push/subscriptions (a PushSubscription JSON)
 * subscribes this browser for the caller's token; DELETE with `{ endpoint }` removes it. Any
 * logged-in role may subscribe: it is pushed only alerts for panes its token can see.
 */
export async function handlePushRoute(route: string, req: IncomingMessage, res: ServerResponse, push: PushRouteDeps | null, principal: Principal | null): Promise<void> {
  if (!principal) return send(res, 401, { error: { code: "UNAUTHORIZED", message: "a valid token is required (Authorization: Bearer, or log in)" } });
  if (!push) return send(res, 404, { error: { code: "BAD_REQUEST", message: "Web Push is off (push.enabled)" } });
  if (route === "/api/push/vapid-key") {
    if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, { error: { code: "BAD_REQUEST", message: "use GET" } }, { allow: "GET, HEAD" });
    return send(res, 200, { key: push.vapid.publicKey });
  }
  if (route !== "/api/push/subscriptions") return send(res, 404, { error: { code: "BAD_REQUEST", message: "no such route" } });
  if (req.method !== "POST" && req.method !== "DELETE") return send(res, 405, { error: { code: "BAD_REQUEST", message: "use POST or DELETE" } }, { allow: "POST, DELETE" });
  const body = await readBody(req, 8192);
  let json: unknown;
  try {
    json = body === null ? undefined : JSON.parse(body);
  } catch {
    json = undefined;
  }
  if (json === undefined) return send(res, 400, { error: { code: "BAD_REQUEST", message: "expected a JSON body of at most 8192 bytes" } });
  if (req.method === "DELETE") {
    const endpoint = (json as { endpoint?: unknown } | null)?.endpoint;
    if (typeof endpoint !== "string" || endpoint.length > 2048) return send(res, 400, { error: { code: "BAD_REQUEST", message: "expected { endpoint }" } });
    return send(res, 200, { data: { removed: push.store.remove(principal.tokenId, endpoint) } });
  }
  const parsed = PushSubscriptionSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return send(res, 400, { error: { code: "BAD_REQUEST", message: `${issue.path.join(".") || "body"}: ${issue.message}` } });
  }
  if (!endpointAllowed(parsed.data.endpoint, push.allowedEndpoints)) {
    return send(res, 400, { error: { code: "BAD_REQUEST", message: "the endpoint is not at an allowed push service (push.allowed_endpoints)" } });
  }
  push.store.add(principal.tokenId, parsed.data);
  send(res, 201, { data: { subscribed: true } });
}
