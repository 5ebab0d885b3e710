import { describe, expect, it } from "vitest";
import { endpointAllowed } from "../../../lib/notify/push-endpoint.ts";
import { ConfigSchema } from "../../../lib/config-schema.ts";

describe("endpointAllowed", () => {
  const defaults = ConfigSchema.parse({}).push.allowed_endpoints;
  it("takes the browsers' push services by default", () => {
    expect(endpointAllowed("https://fcm.googleapis.com/fcm/send/abc:def", defaults)).toBe(true);
    expect(endpointAllowed("https://updates.push.services.mozilla.com/wpush/v2/gAAA", defaults)).toBe(true);
    expect(endpointAllowed("https://wns2-par02p.notify.windows.com/w/?token=x", defaults)).toBe(true);
    expect(endpointAllowed("https://web.push.apple.com/QGuQyavXutnMei", defaults)).toBe(true);
  });
  it("refuses anything else: internal hosts, plain http, look-alikes, other ports, credentials", () => {
    for (const bad of [
      "http://fcm.googleapis.com/fcm/send/x",
      "https://127.0.0.1/x",
      "https://169.254.169.254/latest/meta-data",
      "https://fcm.googleapis.com.evil.example/x",
      "https://evilfcm.googleapis.com/x",
      "https://notify.windows.com/x",
      "https://fcm.googleapis.com:8443/x",
      "https://user:pw@fcm.googleapis.com/x",
      "not a url",
    ]) {
      expect(endpointAllowed(bad, defaults), bad).toBe(false);
    }
  });
  it("takes a configured origin with its port", () => {
    expect(endpointAllowed("https://127.0.0.1:8443/push/1", ["https://127.0.0.1:8443"])).toBe(true);
    expect(endpointAllowed("https://127.0.0.1:8444/push/1", ["https://127.0.0.1:8443"])).toBe(false);
  });
});
