import { mkdtempSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PanecastApp } from "../../lib/app.ts";
import type { DocPayload } from "../../lib/protocol.ts";
import { client, startPanecast, type TestClient } from "../helpers/server.ts";
import { TestTmux, until } from "../helpers/tmux.ts";

const tmux = new TestTmux();
const dir = mkdtempSync(path.join(tmpdir(), "panecast-live-docs-"));
const md = path.join(dir, "dashboard.md");
const history = path.join(dir, "history.yaml");
let app: PanecastApp;
let url: string;
let c: TestClient;
const pushed: DocPayload[] = [];

beforeAll(async () => {
  await tmux.newSession("docs");
  ({ app, url } = await startPanecast(tmux, ["--dashboard", `main=${md}`, "--history", history]));
  c = await client(url);
  c.pushes.on("doc:updated", (p) => pushed.push(p));
});

afterAll(async () => {
  c?.close();
  await app?.close();
  await tmux.kill();
});

const latest = (name: string) => [...pushed].reverse().find((p) => p.name === name);

describe("live documents", () => {
  it("reports a missing dashboard, then pushes it when the file appears and whenever it changes", async () => {
    const r = await c.emitWithAck("doc:subscribe", { name: "main" });
    expect(r).toEqual({ data: { kind: "markdown", name: "main", path: "dashboard.md", doc: { state: "missing" } } });
    writeFileSync(md, "# Report\n\nall good\n");
    await until(() => latest("main")?.doc.state === "ok", "the file's first version");
    const first = latest("main")!;
    if (first.kind !== "markdown" || first.doc.state !== "ok") throw new Error("not ok");
    expect(first.doc.html).toContain("all good");
    // Editors often save by writing a temporary file and renaming it over the original.
    writeFileSync(`${md}.tmp`, "# Report\n\nsomething broke\n");
    renameSync(`${md}.tmp`, md);
    await until(() => {
      const p = latest("main");
      return p?.kind === "markdown" && p.doc.state === "ok" && p.doc.html.includes("something broke");
    }, "the renamed-over version");
  });

  it("pushes the history, and a clear message with the line for invalid YAML", async () => {
    writeFileSync(history, "queue:\n  - id: cmd_001\n    command: build\n");
    const r = await c.emitWithAck("doc:subscribe", { name: "history" });
    expect(r).toMatchObject({ data: { kind: "history", doc: { state: "ok", entries: [{ id: "cmd_001", command: "build" }] } } });
    writeFileSync(history, "queue:\n  - id: cmd_001\n    command: [oops\n");
    await until(() => latest("history")?.doc.state === "invalid", "the invalid state");
    expect(latest("history")!.doc).toMatchObject({ state: "invalid", line: 4 });
  });

  it("answers unknown and malformed document names with a code", async () => {
    expect(await c.emitWithAck("doc:subscribe", { name: "nope" })).toMatchObject({ error: { code: "DOC_NOT_FOUND" } });
    expect(await c.emitWithAck("doc:subscribe", { name: "../../etc/passwd" })).toMatchObject({ error: { code: "BAD_REQUEST" } });
  });

  it("serves the documents over HTTP", async () => {
    const list = (await (await fetch(`${url}/api/docs`)).json()) as { docs: Array<{ name: string; kind: string }> };
    expect(list.docs.map((d) => `${d.kind}:${d.name}`)).toEqual(["markdown:main", "history:history"]);
    const doc = (await (await fetch(`${url}/api/docs/main`)).json()) as DocPayload;
    expect(doc.kind).toBe("markdown");
    expect((await fetch(`${url}/api/docs/%E0%A4%A`)).status).toBe(404);
    expect((await fetch(`${url}/api/docs/missing`)).status).toBe(404);
  });
});
