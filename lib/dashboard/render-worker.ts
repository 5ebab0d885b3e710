import { parentPort } from "node:worker_threads";
import { parseHistory } from "./history.ts";
import { renderMarkdown, type RenderOptions } from "./render.ts";

/** Renders Markdown and parses history off the main thread, so a large file never stalls the stream. */
parentPort?.on("message", (msg: { id: number; kind: "markdown" | "history"; text: string; render: RenderOptions }) => {
  try {
    const value = msg.kind === "markdown" ? renderMarkdown(msg.text, msg.render) : parseHistory(msg.text);
    parentPort!.postMessage({ id: msg.id, value });
  } catch (err) {
    parentPort!.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err) });
  }
});
// Loading this module (the TypeScript loader first) takes a while: the pool starts a job's time budget
// only once the worker says it is ready.
parentPort?.postMessage({ ready: true });
