import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";

// Tests never use the real data directory (~/.local/state/panecast): every run gets a scratch one.
const dataDir = mkdtempSync(path.join(tmpdir(), "panecast-test-data-"));

export default defineConfig({
  test: {
    // Real tmux servers and real sockets: two files at a time on a 2-core machine.
    maxWorkers: 2,
    minWorkers: 1,
    env: { PANECAST_DATA_DIR: dataDir },
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["tests/unit/**/*.test.ts"], environment: "node" },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          // The CLI tests run the compiled CLI (bin/panecast.js → dist/), as the package does.
          globalSetup: ["tests/integration/global-setup.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Real tmux servers, real sockets and real timers on a shared 2-core machine: a test gets one
          // more try, and a test that fails twice fails the run. The log marks a retried test "(retry x1)".
          retry: 1,
        },
      },
      {
        extends: true,
        test: {
          name: "agents",
          // The real agent CLIs (installed from npm at test time) against fake model APIs: see tests/agents/.
          include: ["tests/agents/**/*.test.ts"],
          globalSetup: ["tests/agents/global-setup.ts"],
          environment: "node",
          testTimeout: 600_000,
          hookTimeout: 900_000,
          // Real agent CLIs on a shared 2-core machine: one more try, from a fresh scratch HOME, CLI
          // and panecast (each run makes its own); a test that fails twice fails the run.
          retry: 1,
        },
      },
    ],
  },
});
