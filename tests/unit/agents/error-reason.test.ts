import { describe, expect, it } from "vitest";
import { errorReason, resetTime } from "../../../lib/agents/error-reason.ts";

describe("errorReason", () => {
  it.each([
    ["rate_limit — 429 rate_limit_error: This request would exceed the rate limit", "rate-limit"],
    ["authentication_failed", "auth"],
    ["API Error: 401 {\"type\":\"authentication_error\"}", "auth"],
    ["API Error: 529 {\"type\":\"overloaded_error\"}", "overloaded"],
    ["API Error: 503 service unavailable", "server"],
    ["stream error: connection reset", "server"],
    ["The model gpt-9 does not exist or you do not have access", "model-unavailable"],
    ["Traceback (most recent call last):", "crashed"],
    ["API Error: 400 {\"type\":\"invalid_request_error\"}", "unknown"],
    // Claude Code 2.1.197's StopFailure after a 529 (recorded): its kind says server_error, its message which.
    ["server_error — API Error: 529 Overloaded. This is a server-side issue, usually temporary", "overloaded"],
    ["server_error — API Error: 500 Internal server error", "server"],
  ])("%s → %s", (text, reason) => {
    expect(errorReason(text)).toBe(reason);
  });
});

describe("resetTime", () => {
  const now = new Date("2026-12-02T10:00:00Z");
  it("reads an ISO time, a delay and a clock time", () => {
    expect(resetTime("limit resets at 2026-12-02T13:30:00Z", now)).toBe("2026-12-02T13:30:00.000Z");
    expect(resetTime("try again in 1h 30m", now)).toBe("2026-12-02T11:30:00.000Z");
    expect(resetTime("retry after 45 seconds", now)).toBe("2026-12-02T10:00:45.000Z");
    const clock = new Date(resetTime("usage limit reached · resets 3pm", now)!);
    expect(clock.getHours()).toBe(15);
    expect(clock.getTime()).toBeGreaterThan(now.getTime());
  });

  it("is undefined when no time is named", () => {
    expect(resetTime("rate limit exceeded", now)).toBeUndefined();
  });
});
