import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PanecastApp } from "../../lib/app.ts";
import { startPanecast } from "../helpers/server.ts";
import { TestTmux } from "../helpers/tmux.ts";

const run = promisify(execFile);
const tmp = mkdtempSync(path.join(tmpdir(), "panecast-client-pkg-"));
const project = path.join(tmp, "project");
const tmux = new TestTmux();
let app: PanecastApp;
let url: string;

beforeAll(async () => {
  await tmux.newSession("pkgclient");
  ({ app, url } = await startPanecast(tmux));
  // prepack compiles lib/client to ESM and .d.ts in clients/js/dist.
  await run("npm", ["pack", "--pack-destination", tmp], { cwd: path.resolve("clients/js"), maxBuffer: 16 * 1024 * 1024 });
  const tgz = readdirSync(tmp).find((f) => f.endsWith(".tgz"))!;
  await run("mkdir", ["-p", project]);
  writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", path.join(tmp, tgz)], { cwd: project, maxBuffer: 16 * 1024 * 1024 });
}, 300_000);

afterAll(async () => {
  await app?.close();
  await tmux.kill();
});

describe("@panecast/client, packed and installed into an empty project", () => {
  it("brings only socket.io-client, and plain node imports it, connects and receives the topology", async () => {
    const deps = readdirSync(path.join(project, "node_modules"));
    expect(deps).toContain("socket.io-client");
    for (const heavy of ["next", "react", "zod", "typescript", "tsx", "panecast"]) expect(deps).not.toContain(heavy);
    writeFileSync(
      path.join(project, "main.mjs"),
      `import { PanecastClient } from "@panecast/client";
const client = new PanecastClient({ url: process.argv[2] });
// connect() resolves once the first subscription is in: the topology is held.
await client.connect();
console.log(JSON.stringify(client.mirror.topology.sessions.map((s) => s.name)));
client.close();
`,
    );
    const { stdout } = await run(process.execPath, ["main.mjs", url], { cwd: project });
    expect(JSON.parse(stdout)).toEqual(["pkgclient"]);
  });

  it("ships .d.ts that a TypeScript consumer type-checks against", async () => {
    const pkg = path.join(project, "node_modules", "@panecast", "client");
    expect(existsSync(path.join(pkg, "dist", "client", "index.d.ts"))).toBe(true);
    expect(readdirSync(path.join(pkg, "dist", "client")).filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toEqual([]);
    writeFileSync(
      path.join(project, "check.ts"),
      `import { PanecastClient, type Topology } from "@panecast/client";
const c = new PanecastClient({ url: "http://127.0.0.1:1" });
const t: Topology = c.mirror.topology;
// @ts-expect-error the options are typed
new PanecastClient({ url: 42 });
export const names: string[] = t.sessions.map((s) => s.name);
`,
    );
    writeFileSync(
      path.join(project, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { strict: true, module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", noEmit: true, skipLibCheck: false, types: [] }, files: ["check.ts"] }),
    );
    const tsc = path.resolve("node_modules/typescript/bin/tsc");
    const r = await run(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: project }).catch((e: { stdout: string }) => ({ stdout: e.stdout }));
    expect(r.stdout).toBe("");
    expect(JSON.parse(readFileSync(path.join(pkg, "package.json"), "utf8")).dependencies).toEqual({ "socket.io-client": "^4.8.4" });
  });
});
