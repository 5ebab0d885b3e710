import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Real tmux servers and real sockets: two files at a time on a 2-core machine.
    maxWorkers: 2,
    minWorkers: 1,
    projects: [
      {
        test: { name: "unit", include: ["tests/unit/**/*.test.ts"], environment: "node" },
      },
      {
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
