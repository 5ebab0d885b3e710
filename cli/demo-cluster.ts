import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PACKAGE_ROOT } from "../lib/package-root.ts";
import { announce, bootServer, installShutdown } from "../lib/boot.ts";
import { loadConfig } from "../lib/config.ts";
import { freePort, waitForPort } from "../lib/ports.ts";
import { openDataDir } from "../lib/data-dir.ts";
import { CONFIG_OPTIONS, configArgv, parseCommand, type CommandSpec } from "./args.ts";
import { sampleDashboard, sampleHistory, startDemoTmux, stopDemoTmux } from "./demo.ts";

const NODES = ["alpha", "beta"] as const;
const socketOf = (node: string) => `panecast-demo-${node}`;

export const DEMO_CLUSTER: CommandSpec = {
  name: "demo-cluster",
  usage: "usage: panecast demo-cluster [--port N] [--host HOST] [--data-dir DIR] … (panecast help lists every settings flag)",
  options: CONFIG_OPTIONS,
};

/**
 * `npm run demo:cluster`: two demo fleets on two private tmux servers (-L panecast-demo-alpha and
 * -beta), one redis-server (a private one on a free port, persistence off, unless PANECAST_REDIS_URL
 * names one), and two panecast nodes on it: alpha serves the page (one URL shows both fleets), beta
 * is a second node in a process and on a port of its own, so stopping it (its pid is printed) shows
 * what a node going offline looks like. Ctrl+C stops everything it started.
 */
export async function demoCluster(argv: string[]): Promise<number> {
  const { values } = parseCommand(DEMO_CLUSTER, argv);
  const flags = configArgv(values);
  for (const line of openDataDir(loadConfig({ argv: flags }).data_dir)) console.error(line);
  // Scratch files of this run (documents, and beta's own state), outside the data directory:
  // documents are never served from there, and two nodes never share one state directory.
  const dir = mkdtempSync(path.join(tmpdir(), "panecast-demo-cluster-"));
  const betaData = path.join(dir, "beta-state");
  mkdirSync(betaData, { recursive: true, mode: 0o700 });
  let redis: ChildProcess | null = null;
  let url = process.env.PANECAST_REDIS_URL;
  if (!url) {
    const port = await freePort();
    redis = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
    redis.on("error", (err) => console.error(`panecast demo: redis-server did not start (${err.message}); install it (apt-get install redis-server) or set PANECAST_REDIS_URL`));
    await waitForPort(port);
    url = `redis://127.0.0.1:${port}`;
  }
  const files = NODES.map((node) => {
    const dashboard = path.join(dir, `dashboard-${node}.md`);
    const history = path.join(dir, `history-${node}.yaml`);
    writeFileSync(dashboard, sampleDashboard());
    writeFileSync(history, sampleHistory());
    return { answersLog: path.join(dir, `answers-${node}.log`), dashboard, history };
  });
  const stopScratch = async (): Promise<void> => {
    for (const node of NODES) await stopDemoTmux(socketOf(node));
    redis?.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  };
  const env = { ...process.env, PANECAST_REDIS_URL: url };
  let booted: Awaited<ReturnType<typeof bootServer>>;
  try {
    for (const [i, node] of NODES.entries()) await startDemoTmux(files[i]!, socketOf(node));
    const alphaConfig = loadConfig({ argv: ["--socket-name", socketOf("alpha"), "--dashboard", `dashboard=${files[0]!.dashboard}`, "--history", files[0]!.history, ...flags], env: { ...env, PANECAST_NODE: "alpha" } });
    booted = await bootServer(alphaConfig);
  } catch (err) {
    // A start that fails half way leaves nothing of this run behind (tmux servers, redis, files).
    await stopScratch();
    throw err;
  }
  const { app, url: page } = booted;
  // Beta after alpha, so alpha makes (and shows) the first admin token; its output is not the demo's.
  const betaPort = await freePort();
  const beta = spawn(
    process.execPath,
    [path.join(PACKAGE_ROOT, "bin", "panecast.js"), "start", "--socket-name", socketOf("beta"), "--host", "127.0.0.1", "--port", String(betaPort), "--history", files[1]!.history, "--data-dir", betaData],
    { env: { ...env, PANECAST_NODE: "beta" }, stdio: "ignore" },
  );
  const betaExit = new Promise<void>((resolve) => beta.once("exit", () => resolve()));
  const stopBeta = async (): Promise<void> => {
    if (beta.exitCode === null && beta.signalCode === null) {
      beta.kill("SIGTERM");
      await betaExit;
    }
  };
  installShutdown(app, async () => {
    await stopBeta();
    await stopScratch();
  });
  try {
    await waitForPort(betaPort);
  } catch (err) {
    await stopBeta();
    await app.close();
    await stopScratch();
    throw err;
  }
  announce(app, page);
  console.log(`panecast demo:cluster: redis ${url}; node alpha serves ${page}/, node beta http://127.0.0.1:${betaPort}/`);
  console.log(`panecast demo:cluster: open ${page}/ to see both fleets (Ctrl+C stops both nodes, both tmux servers${redis ? " and redis" : ""})`);
  console.log(`panecast demo:cluster: to see a node go offline, stop beta: kill ${beta.pid} (it says goodbye) or kill -9 ${beta.pid} (offline after cluster.offline_after_ms)`);
  return 0;
}
