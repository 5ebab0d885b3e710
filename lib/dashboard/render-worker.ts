import { parentPort } from "node:worker_threads";
import { parseHistory } from "./history.ts";
import { renderMarkdown } from "./render.ts";

/** Renders Markdown and parses history off the main thread, so a large file never stalls the stream. */
parentPort?.on("message", (msg: { id: number; kind: "markdown" | "history"; text: string }) => {
  try {
    const value = msg.kind === "markdown" ? renderMarkdown(msg.text) : parseHistory(msg.text);
    parentPort!.postMessage({ id: msg.id, value });
  } catch (err) {
    parentPort!.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err) });
  }
});
