import { describe, expect, it } from "vitest";
import { ConfigSchema } from "../../../lib/config-schema.ts";
import { AGENT_STATES, AGENT_TYPES, ALERT_KINDS, CLIENT_EVENTS, ROLES } from "../../../lib/protocol.ts";
import { TokenCreateSchema } from "../../../lib/protocol/messages.ts";
import { AgentStatusSchema } from "../../../lib/protocol/payloads.ts";
import { CLIENT_SCHEMAS } from "../../../lib/protocol/schema-docs.ts";
import { roleAtLeast } from "../../../lib/roles.ts";

/** Each enum is one list in protocol.ts: everything that validates or lists it follows the list. */
describe("protocol lists", () => {
  it("config rules take exactly the agent types", () => {
    for (const t of AGENT_TYPES) expect(ConfigSchema.safeParse({ agents: { rules: { [t]: { idle: ["x"] } } } }).success).toBe(true);
    expect(ConfigSchema.safeParse({ agents: { rules: { nonesuch: { idle: ["x"] } } } }).success).toBe(false);
  });

  it("alert settings take the alert kinds, on_states all but critical", () => {
    const hook = (kinds: string[]) => ConfigSchema.safeParse({ alerts: { webhooks: [{ url: "http://127.0.0.1/x", kinds }] } }).success;
    expect(hook([...ALERT_KINDS])).toBe(true);
    expect(hook(["working"])).toBe(false);
    const states = ALERT_KINDS.filter((k) => k !== "critical");
    expect(ConfigSchema.safeParse({ alerts: { on_states: states } }).success).toBe(true);
    expect(ConfigSchema.safeParse({ alerts: { on_states: ["critical"] } }).success).toBe(false);
  });

  it("agent status payloads take every state and type", () => {
    for (const state of AGENT_STATES) {
      for (const agentType of AGENT_TYPES) {
        const ok = AgentStatusSchema.safeParse({ pane: "%1", state, previous: null, agentType, since: new Date().toISOString(), line: null, source: "screen" });
        expect(ok.success).toBe(true);
      }
    }
    expect(AgentStatusSchema.safeParse({ pane: "%1", state: "asleep", previous: null, agentType: "shell", since: "", line: null, source: "screen" }).success).toBe(false);
  });

  it("token requests take every role, ranked by their order", () => {
    for (const role of ROLES) expect(TokenCreateSchema.safeParse({ name: "t", role }).success).toBe(true);
    expect(TokenCreateSchema.safeParse({ name: "t", role: "root" }).success).toBe(false);
    ROLES.forEach((role, i) => ROLES.forEach((needed, j) => expect(roleAtLeast(role, needed)).toBe(i >= j)));
  });

  it("every client request has a schema, and nothing else does", () => {
    expect(Object.keys(CLIENT_SCHEMAS).sort()).toEqual([...CLIENT_EVENTS].sort());
  });
});
