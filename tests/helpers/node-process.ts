import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import path from "node:path";

const ENTRY = path.resolve(import.meta.dirname, "cluster-node.ts");

/** A panecast node as its own process (tests/helpers/cluster-node.ts), stopped or killed by its pid. */
export class NodeProcess {
  private child: ChildProcess | null = null;

  async start(argv: string[], env: Record<string, string>): Promise<string> {
    const child = spawn(process.execPath, ["--import", "tsx", ENTRY, ...argv], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    let err = "";
    child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
    return new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout!.on("data", (d: Buffer) => {
        out += d.toString();
        const m = /ready (\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once("exit", (code) => reject(new Error(`node exited with ${code}: ${err.slice(-500)}`)));
    });
  }

  /** SIGSTOP / SIGCONT: a node that is there (its subscriptions open) but answers nothing. */
  signal(sig: "SIGSTOP" | "SIGCONT"): void {
    this.child?.kill(sig);
  }

  /** SIGKILL: no clean stop, no notice to the other nodes. */
  async kill(): Promise<void> {
    const c = this.child;
    this.child = null;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    c.kill("SIGKILL");
    await once(c, "exit");
  }
}
