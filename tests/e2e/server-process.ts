import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const BIN = path.resolve("bin/panecast.js");

function scratchAudit(): string {
  return path.join(mkdtempSync(path.join(tmpdir(), "panecast-audit-")), "audit.jsonl");
}

/** Each server gets its own data directory: tests never touch the real ~/.local/state/panecast. */
function scratchDataDir(): string {
  return mkdtempSync(path.join(tmpdir(), "panecast-data-"));
}

/** `panecast start` as its own process, on 127.0.0.1, so a test can stop and restart it. */
export class ServerProcess {
  private child: ChildProcess | null = null;
  port = 0;
  private readonly argv: string[];

  private readonly env: Record<string, string>;
  private readonly dataDir = scratchDataDir();

  private readonly bin: string;

  /**
   * Auth is off unless `env` says otherwise (PANECAST_AUTH=on with a scratch PANECAST_TOKENS). `bin` is
   * another built checkout's `bin/panecast.js` (a benchmark's "before"), this one's by default.
   */
  constructor(argv: string[], env: Record<string, string> = {}, bin = BIN) {
    this.argv = argv;
    this.env = env;
    this.bin = bin;
  }

  /** What the server printed on stdout (the first-start admin token, for one). */
  stdout = "";

  /** Starts (on the same port as before, after the first start) and resolves with the URL. */
  async start(): Promise<string> {
    const child = spawn(process.execPath, [this.bin, "start", "--host", "127.0.0.1", "--port", String(this.port), ...this.argv], {
      env: { ...process.env, PANECAST_CONFIG: "", PANECAST_AUTH: "off", PANECAST_AUDIT: scratchAudit(), PANECAST_DATA_DIR: this.dataDir, ...this.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    let err = "";
    child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout!.on("data", (d: Buffer) => {
        out += d.toString();
        this.stdout += d.toString();
        const m = /panecast listening on (http:\/\/[^\s]+?)\/?\s/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once("exit", (code) => reject(new Error(`panecast exited with ${code}: ${err}`)));
    });
    this.port = Number(new URL(url).port);
    return url;
  }

  /** Resolves with the first match of `re` in what the server printed, waiting for it to appear. */
  async waitFor(re: RegExp): Promise<RegExpExecArray> {
    for (;;) {
      const m = re.exec(this.stdout);
      if (m) return m;
      if (!this.child || this.child.exitCode !== null) throw new Error(`panecast exited before printing ${re}`);
      await new Promise<void>((resolve) => this.child!.stdout!.once("data", () => resolve()));
    }
  }

  /** SIGTERM, and wait for the process to be gone (it ends its tmux control clients first). */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
    this.child = null;
  }
}
