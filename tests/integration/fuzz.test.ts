import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PanecastApp } from "../../lib/app.ts";
import type { Ack } from "../../lib/protocol.ts";
import { startWithAuth } from "../helpers/auth.ts";
import { client, type TestClient } from "../helpers/server.ts";
import { TestTmux, until } from "../helpers/tmux.ts";

const tmux = new TestTmux();
let app: PanecastApp;
let url: string;
let pane: string;
let operator: string;

beforeAll(async () => {
  pane = await tmux.newSession("target");
  await until(async () => (await tmux.capture(pane)).includes("$"), "the prompt");
  // The rates and the message size bound have tests of their own (flood, socket-limits): here every
  // malformed message must reach validation and get its error code. The largest sample is about 300 KB
  // (a subscribe filter of three 100,000-character ids).
  const s = await startWithAuth(tmux, "limits:\n  socket_messages_per_second: 100000\n  socket_messages_burst: 100000\n  messages_per_second: 100000\n  messages_burst: 100000\n  sends_per_minute: 100000\nhub:\n  max_message_bytes: 1048576\n");
  ({ app, url } = s);
  operator = app.auth.tokens!.create({ name: "fuzzer", role: "operator" }).token;
});

afterAll(async () => {
  await app?.close();
  await tmux.kill();
});

const HOSTILE = ["%1;kill-server", "$(reboot)", "`reboot`", "../../etc/passwd", "%0 ; kill-server", "#{pane_id}", "%", "-t", "%%", "\u0000", "%1\nkill-server", "=", "a:b.c"];
const unknownPane = fc.integer({ min: 9000, max: 9_999_999 }).map((n) => `%${n}`);
const hostile = fc.oneof(fc.constantFrom(...HOSTILE), unknownPane, fc.string({ maxLength: 30 }), fc.string({ minLength: 50_000, maxLength: 100_000 }));
const notObject = fc.oneof(fc.integer(), fc.double(), fc.string(), fc.boolean(), fc.constant(null), fc.array(fc.jsonValue(), { maxLength: 5 }));
const withExtraKey = (base: fc.Arbitrary<Record<string, unknown>>) =>
  fc.tuple(base, fc.string({ minLength: 1, maxLength: 10 }).filter((k) => !["pane", "text", "keys", "enter", "lines", "filter", "have", "name"].includes(k) && k !== "__proto__"), fc.jsonValue()).map(([b, k, v]) => ({ ...b, [k]: v }));

/** Messages that must all be refused: wrong shapes, wrong types, hostile or unknown targets, unknown events. */
const messages = (pane: string): fc.Arbitrary<[string, unknown]> => fc.oneof(
  fc.tuple(fc.constantFrom("subscribe", "pane:resync", "pane:history", "pane:send", "topology:get", "doc:subscribe", "token:revoke"), notObject),
  fc.tuple(fc.constantFrom("pane:resync", "pane:history"), hostile.map((p) => ({ pane: p }))),
  fc.tuple(fc.constant("pane:history"), fc.record({ pane: fc.constantFrom(pane), lines: fc.oneof(fc.constant(0), fc.constant(-1), fc.constant(1e12), fc.string()) })),
  fc.tuple(fc.constant("pane:send"), fc.record({ pane: hostile, text: fc.string({ maxLength: 50 }), enter: fc.boolean() })),
  fc.tuple(fc.constant("pane:send"), fc.record({ pane: fc.constant(pane), keys: fc.array(fc.constantFrom("C-b", "F1", "kill-server", ";", "M-x", ""), { minLength: 1, maxLength: 3 }) })),
  fc.tuple(fc.constant("pane:send"), fc.record({ pane: fc.constant(pane), text: fc.string({ minLength: 16_385, maxLength: 20_000 }) })),
  fc.tuple(fc.constant("pane:send"), fc.record({ pane: fc.constant(pane), text: fc.oneof(fc.integer(), fc.constant(null), fc.array(fc.string())) })),
  fc.tuple(fc.constant("subscribe"), fc.record({ filter: fc.record({ panes: fc.array(hostile.filter((p) => !/^%\d{1,7}$/.test(p)), { minLength: 1, maxLength: 3 }) }) })),
  fc.tuple(fc.constant("subscribe"), fc.record({ have: fc.record({ epoch: fc.string({ minLength: 65, maxLength: 100 }), seqs: fc.constant({}) }) })),
  fc.tuple(fc.constant("subscribe"), withExtraKey(fc.constant({}))),
  fc.tuple(fc.constant("topology:get"), withExtraKey(fc.constant({}))),
  fc.tuple(fc.constant("doc:subscribe"), hostile.map((n) => ({ name: n }))),
  fc.tuple(fc.constantFrom("token:list", "token:create", "token:revoke"), fc.jsonValue()),
  fc.tuple(fc.string({ maxLength: 40 }).filter((e) => !["subscribe", "pane:resync", "pane:history", "pane:send", "topology:get", "doc:subscribe", "token:list", "token:create", "token:revoke", ""].includes(e)), fc.jsonValue()),
);

describe("fuzzing the socket protocol", () => {
  it("answers 10,000 malformed messages with an error code; the server stays up and tmux is untouched", async () => {
    const screenBefore = await tmux.capture(pane);
    const sessionsBefore = await tmux.tmux("list-sessions", "-F", "#{session_id} #{session_name} #{session_windows}");
    const sample = fc.sample(messages(pane), { numRuns: 10_000, seed: 20261121 });
    expect(sample.some(([e, p]) => e === "pane:send" && (p as { pane?: string }).pane === pane)).toBe(true);
    const c: TestClient = await client(url, { token: operator });
    const raw = c as unknown as { timeout(ms: number): { emitWithAck(e: string, p: unknown): Promise<Ack<unknown>> } };
    const codes = new Map<string, number>();
    const answered: Array<Ack<unknown>> = [];
    for (let i = 0; i < sample.length; i += 200) {
      const batch = sample.slice(i, i + 200);
      answered.push(...(await Promise.all(batch.map(([event, payload]) => raw.timeout(20_000).emitWithAck(event, payload)))));
    }
    for (const [i, r] of answered.entries()) {
      expect("error" in r, `message ${i} ${JSON.stringify(sample[i]).slice(0, 200)} was accepted`).toBe(true);
      if ("error" in r) codes.set(r.error.code, (codes.get(r.error.code) ?? 0) + 1);
    }
    expect(answered).toHaveLength(10_000);
    expect([...codes.keys()].sort()).toEqual(expect.arrayContaining(["BAD_REQUEST", "FORBIDDEN", "PANE_NOT_FOUND"]));
    expect(c.connected).toBe(true);
    expect((await fetch(`${url}/api/healthz`)).status).toBe(200);
    expect(await tmux.tmux("list-sessions", "-F", "#{session_id} #{session_name} #{session_windows}")).toBe(sessionsBefore);
    expect(await tmux.capture(pane)).toBe(screenBefore);
    c.close();
  }, 300_000); // 10,000 round trips, some of 100 KB: minutes on a loaded 2-core machine
});
