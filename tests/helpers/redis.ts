import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { freePort, waitForPort } from "./net.ts";

/**
 * A real redis-server on 127.0.0.1 and a free port, persistence off, stopped by its pid. `restart`
 * stops it and starts a fresh one on the same port (an outage that loses every key).
 */
export class TestRedis {
  port = 0;
  private child: ChildProcess | null = null;

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (!this.port) this.port = await freePort();
    this.child = spawn("redis-server", ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes"], { stdio: "ignore" });
    await waitForPort(this.port);
  }

  async stop(): Promise<void> {
    const c = this.child;
    this.child = null;
    if (!c || c.exitCode !== null) return;
    c.kill("SIGKILL");
    await once(c, "exit");
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }
}
