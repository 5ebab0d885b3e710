import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort, waitForPort } from "../helpers/net.ts";

/**
 * Real nginx (Debian's package) terminating TLS with a fresh self-signed certificate, proxying a base
 * path to panecast with the headers docs/deploy.md prescribes. Runs in the foreground on 127.0.0.1.
 * Several upstream ports: round-robin, no sticky sessions, the next node tried when one is down.
 * `upstreamSocket`: panecast's proxy listener (a unix socket) instead of its port.
 */
export class Nginx {
  readonly dir = mkdtempSync(path.join(tmpdir(), "panecast-nginx-"));
  port = 0;
  private child: ChildProcess | null = null;

  /** `port`: chosen beforehand, so panecast's `server.public_url` can name it. */
  async start(opts: { basePath: string; upstreamPort?: number | number[]; upstreamSocket?: string; port?: number }): Promise<string> {
    const ports = opts.upstreamPort === undefined ? [] : Array.isArray(opts.upstreamPort) ? opts.upstreamPort : [opts.upstreamPort];
    const upstreams = opts.upstreamSocket ? [`    server unix:${opts.upstreamSocket};`] : ports.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=30s;`);
    this.port = opts.port ?? (await freePort());
    const d = this.dir;
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-keyout", `${d}/key.pem`, "-out", `${d}/cert.pem`], { stdio: "ignore" });
    for (const t of ["body", "proxy", "fastcgi", "uwsgi", "scgi"]) mkdirSync(`${d}/${t}`, { recursive: true });
    const asRoot = process.getuid?.() === 0;
    writeFileSync(
      `${d}/nginx.conf`,
      `${asRoot ? "user root;\n" : ""}worker_processes 1;
daemon off;
pid ${d}/nginx.pid;
error_log ${d}/error.log warn;
events { worker_connections 256; }
http {
  access_log ${d}/access.log;
  client_body_temp_path ${d}/body; proxy_temp_path ${d}/proxy; fastcgi_temp_path ${d}/fastcgi;
  uwsgi_temp_path ${d}/uwsgi; scgi_temp_path ${d}/scgi;
  map $http_upgrade $connection_upgrade { default upgrade; '' close; }
  upstream panecast {
${upstreams.join("\n")}
  }
  server {
    listen 127.0.0.1:${this.port} ssl;
    ssl_certificate ${d}/cert.pem;
    ssl_certificate_key ${d}/key.pem;
    # No trailing slash: Next.js serves the base path's root as "${opts.basePath}" and redirects
    # "${opts.basePath}/" there; "location ${opts.basePath}/" would make nginx redirect back (a loop).
    location ${opts.basePath} {
      proxy_pass http://panecast;
      proxy_next_upstream error timeout http_502;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Host $http_host;
      proxy_buffering off;
      proxy_read_timeout 1h;
      proxy_send_timeout 1h;
    }
  }
}
`,
    );
    const bin = existsSync("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx";
    const child = spawn(bin, ["-c", `${d}/nginx.conf`, "-p", d], { stdio: ["ignore", "ignore", "pipe"] });
    this.child = child;
    let err = "";
    child.stderr!.on("data", (b: Buffer) => (err += b.toString()));
    const exited = new Promise<never>((_, reject) => child.once("exit", (code) => reject(new Error(`nginx exited with ${code}: ${err}`))));
    await Promise.race([waitForPort(this.port), exited]);
    return `https://127.0.0.1:${this.port}${opts.basePath}`;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.kill("SIGQUIT");
    });
  }
}
