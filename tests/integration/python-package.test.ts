import { execFile } from "node:child_process";
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
// Debian's python3: it has setuptools and wheel, and python3-socketio (what the client imports).
const PY = "/usr/bin/python3";

describe("clients/python as a package", () => {
  it("installs with pip into a venv (no index: --no-deps --no-build-isolation) and imports from anywhere", async () => {
    const tmp = mkdtempSync(path.join(tmpdir(), "panecast-pip-"));
    // pip builds in the source tree: build from a copy, so the checkout stays clean.
    const src = path.join(tmp, "src");
    cpSync(path.resolve("clients/python"), src, { recursive: true });
    const venv = path.join(tmp, "venv");
    await run(PY, ["-m", "venv", "--system-site-packages", venv]);
    await run(path.join(venv, "bin", "pip"), ["install", "--no-deps", "--no-build-isolation", "--no-index", src], { cwd: tmp });
    const { stdout } = await run(path.join(venv, "bin", "python"), ["-c", "import panecast_client, sys; print(panecast_client.__file__); print(panecast_client.PanecastClient.__name__)"], { cwd: tmpdir() });
    const [file, name] = stdout.trim().split("\n");
    expect(file).toContain(path.join(venv, "lib"));
    expect(file).toMatch(/site-packages\/panecast_client\.py$/);
    expect(name).toBe("PanecastClient");
    const show = await run(path.join(venv, "bin", "pip"), ["show", "panecast-client"]);
    expect(show.stdout).toMatch(/^Version: 0\.1\.0$/m);
  });
});
