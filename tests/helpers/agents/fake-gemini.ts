import type http from "node:http";
import { closed, json, pause, pieces, sse, startFakeModel, startSse, textOf, type FakeModel, type Said, type Turn, type Wire } from "./fake-model.ts";

const usage = { promptTokenCount: 12, candidatesTokenCount: 8, totalTokenCount: 20 };
const chunk = (parts: unknown[], finish?: string) => ({ candidates: [{ content: { role: "model", parts }, index: 0, ...(finish ? { finishReason: finish } : {}) }], usageMetadata: usage, modelVersion: "gemini-fake" });

const STATUS: Record<number, string> = { 400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 503: "UNAVAILABLE" };

async function streamText(res: http.ServerResponse, text: string, chunkMs: number, chunks: number, hang = false): Promise<void> {
  startSse(res);
  for (const piece of pieces(text, chunks)) {
    if (!sse(res, null, chunk([{ text: piece }]))) return;
    await pause(chunkMs);
  }
  if (hang) return closed(res);
  sse(res, null, chunk([{ text: "" }], "STOP"));
  res.end();
}

const wire: Wire = {
  // Every streamed request is the agent's turn (a retry after a 429 may come without the tools);
  // routing and next-speaker checks use generateContent.
  isMain: (p) => p.includes(":streamGenerateContent"),
  // Tool results come back as user contents of functionResponse parts.
  messages: (body) =>
    ((body as { contents?: { role?: string; parts?: { text?: string; functionResponse?: unknown }[] }[] } | null)?.contents ?? []).map((c): Said => {
      const parts = Array.isArray(c.parts) ? c.parts : [];
      if (parts.some((x) => x?.functionResponse)) return { role: "tool" };
      return c.role === "user" ? { role: "user", text: textOf(parts) } : { role: "other" };
    }),
  side(req, _raw, res) {
    const p = (req.url ?? "").split("?")[0]!;
    if (p.includes(":countTokens")) return json(res, 200, { totalTokens: 42 });
    if (p.includes(":streamGenerateContent")) return void streamText(res, "Fake", 0, 1);
    // The next-speaker and routing checks ask for JSON; "user" ends the turn.
    if (p.includes(":generateContent")) return json(res, 200, chunk([{ text: JSON.stringify({ next_speaker: "user", reasoning: "done", model_choice: "flash" }) }], "STOP"));
    if (p.includes(":embedContent")) return json(res, 200, { embedding: { values: [0.1, 0.2] } });
    if (/\/models\/?$/.test(p)) return json(res, 200, { models: [{ name: "models/gemini-2.5-pro", displayName: "Gemini fake" }] });
    json(res, 404, { error: { code: 404, message: `no ${p} here`, status: "NOT_FOUND" } });
  },
  async answer(turn: Turn, _raw, res) {
    switch (turn.kind) {
      case "text":
        return streamText(res, turn.text, turn.chunkMs ?? 60, turn.chunks ?? 12);
      case "hang":
        return streamText(res, turn.text, 0, 1, true);
      case "tool":
        startSse(res);
        sse(res, null, chunk([{ functionCall: { name: "run_shell_command", args: { command: turn.command, description: "Run a command" } } }], "STOP"));
        res.end();
        return;
      case "error":
        return json(res, turn.status, { error: { code: turn.status, message: turn.message, status: STATUS[turn.status] ?? "UNKNOWN", ...(turn.details ? { details: turn.details } : {}) } }, turn.headers);
    }
  },
};

/** The Gemini API (`streamGenerateContent?alt=sse`), as Gemini CLI reaches it through GOOGLE_GEMINI_BASE_URL. */
export const startFakeGemini = (): Promise<FakeModel> => startFakeModel(wire);
