import type http from "node:http";
import { closed, json, pause, pieces, sse, startFakeModel, startSse, textOf, type FakeModel, type Said, type Turn, type Wire } from "./fake-model.ts";

type Body = { model?: string; stream?: boolean; tools?: unknown[] } | null;

const ERROR_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  429: "rate_limit_error",
  500: "api_error",
  529: "overloaded_error",
};

let ids = 0;
const id = (p: string) => `${p}_${Date.now().toString(36)}${(ids++).toString(36)}`;

function message(model: string, content: unknown[], stop: string) {
  return { id: id("msg"), type: "message", role: "assistant", model, content, stop_reason: stop, stop_sequence: null, usage: { input_tokens: 12, output_tokens: 8 } };
}

/** Streams a message: text and tool_use blocks as Claude's API does (input_json_delta for tool input). */
async function stream(res: http.ServerResponse, model: string, blocks: ({ text: string } | { tool: string; input: unknown })[], chunkMs: number, chunks: number): Promise<void> {
  startSse(res, { "request-id": id("req") });
  sse(res, "message_start", { type: "message_start", message: { ...message(model, [], null as unknown as string), stop_reason: null, usage: { input_tokens: 12, output_tokens: 1 } } });
  let index = 0;
  let stop = "end_turn";
  for (const b of blocks) {
    if ("text" in b) {
      sse(res, "content_block_start", { type: "content_block_start", index, content_block: { type: "text", text: "" } });
      for (const piece of pieces(b.text, chunks)) {
        if (!sse(res, "content_block_delta", { type: "content_block_delta", index, delta: { type: "text_delta", text: piece } })) return;
        await pause(chunkMs);
      }
    } else {
      stop = "tool_use";
      sse(res, "content_block_start", { type: "content_block_start", index, content_block: { type: "tool_use", id: id("toolu"), name: b.tool, input: {} } });
      for (const piece of pieces(JSON.stringify(b.input), 3)) sse(res, "content_block_delta", { type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: piece } });
    }
    sse(res, "content_block_stop", { type: "content_block_stop", index });
    index++;
  }
  sse(res, "message_delta", { type: "message_delta", delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: 20 } });
  sse(res, "message_stop", { type: "message_stop" });
  res.end();
}

const wire: Wire = {
  // The agent's own turns carry its tools; titles, quota checks and summaries do not.
  isMain: (p, body) => p.endsWith("/v1/messages") && Array.isArray((body as Body)?.tools) && ((body as Body)?.tools?.length ?? 0) > 0,
  // Tool results come back as user messages of tool_result blocks.
  messages: (body) =>
    ((body as { messages?: { role?: string; content?: unknown }[] } | null)?.messages ?? []).map((m): Said => {
      const blocks = Array.isArray(m.content) ? (m.content as { type?: string }[]) : [];
      if (blocks.some((b) => b?.type === "tool_result")) return { role: "tool" };
      return m.role === "user" ? { role: "user", text: textOf(m.content) } : { role: "other" };
    }),
  side(req, raw, res) {
    const body = raw as Body;
    const p = (req.url ?? "").split("?")[0]!;
    if (p.endsWith("/count_tokens")) return json(res, 200, { input_tokens: 42 });
    if (p.endsWith("/v1/models")) return json(res, 200, { data: [{ type: "model", id: "claude-sonnet-4-5", display_name: "Claude Sonnet 4.5", created_at: "2025-09-29T00:00:00Z" }], has_more: false, first_id: null, last_id: null });
    if (p.endsWith("/v1/messages")) {
      const model = body?.model ?? "claude-haiku";
      if (body?.stream) return void stream(res, model, [{ text: "Fake title" }], 0, 1);
      return json(res, 200, message(model, [{ type: "text", text: "Fake title" }], "end_turn"));
    }
    json(res, 404, { type: "error", error: { type: "not_found_error", message: `no ${p} here` } });
  },
  async answer(turn: Turn, raw, res) {
    const model = (raw as Body)?.model ?? "claude-sonnet-4-5";
    switch (turn.kind) {
      case "text":
        return stream(res, model, [{ text: turn.text }], turn.chunkMs ?? 60, turn.chunks ?? 12);
      case "tool":
        return stream(res, model, [...(turn.text ? [{ text: turn.text }] : []), { tool: "Bash", input: { command: turn.command, description: "Run a command" } }], 20, 2);
      case "error":
        return json(res, turn.status, { type: "error", error: { type: ERROR_TYPES[turn.status] ?? "api_error", message: turn.message } }, turn.headers);
      case "hang":
        startSse(res);
        sse(res, "message_start", { type: "message_start", message: { ...message(model, [], "end_turn"), stop_reason: null } });
        sse(res, "content_block_start", { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } });
        sse(res, "content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: turn.text } });
        // Pings keep the stream alive, as the real API does, until the CLI aborts it.
        const ping = setInterval(() => sse(res, "ping", { type: "ping" }), 1000);
        await closed(res);
        clearInterval(ping);
        return;
    }
  },
};

/** The Anthropic Messages API (SSE), as Claude Code reaches it through ANTHROPIC_BASE_URL. */
export const startFakeAnthropic = (): Promise<FakeModel> => startFakeModel(wire);
