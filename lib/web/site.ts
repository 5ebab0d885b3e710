import { constants, createReadStream, openSync, readdirSync, readFileSync, statSync, type ReadStream } from "node:fs";
import path from "node:path";

/**
 * The exported web UI (scripts/build.mjs puts Next.js's static export in web/), indexed once at start.
 * Next.js fixes basePath at build time (vercel/next.js#41746), so the build is made for PLACEHOLDER
 * and the text files are held in memory with it replaced by server.base_path; the few large binary
 * files (fonts, icons) are read from disk per request. Only files found at start are ever served:
 * symbolic links are skipped, and a request names an entry of the index, never a path.
 */
export const PLACEHOLDER = "/__panecast_base_path__";

/** Bounds on what start reads: the export is about 4 MB in some 60 files. */
const MAX_FILES = 2000;
const MAX_TEXT_BYTES = 32 * 1024 * 1024;
const MAX_FILE_BYTES = 16 * 1024 * 1024;

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  // React Server Component payloads: Next.js's client accepts text/plain for them in an export.
  ".txt": "text/plain; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".webmanifest": "application/manifest+json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
};
const TEXT = new Set([".html", ".js", ".css", ".txt", ".json", ".webmanifest", ".svg"]);
/** Build records, not pages. */
const PRIVATE = new Set(["BUILD_ID", "panecast-build.json"]);

export interface SiteFile {
  type: string;
  size: number;
  /** The content, base path in place (text files); null for a file read from disk per request. */
  body: Buffer | null;
  /** Where a binary file is, for stream(). */
  file: string;
}

export class Site {
  private constructor(private readonly files: ReadonlyMap<string, SiteFile>) {}

  /** Indexes `dir` (the export), reading its text files with PLACEHOLDER replaced by `basePath`. */
  static load(dir: string, basePath: string): Site {
    const files = new Map<string, SiteFile>();
    let textBytes = 0;
    const walk = (abs: string, rel: string): void => {
      for (const e of readdirSync(abs, { withFileTypes: true })) {
        const a = path.join(abs, e.name);
        const r = rel === "" ? e.name : `${rel}/${e.name}`;
        if (e.isDirectory()) walk(a, r);
        else if (e.isFile() && !(rel === "" && PRIVATE.has(e.name))) {
          if (files.size >= MAX_FILES) throw new Error(`the web UI in ${dir} has more than ${MAX_FILES} files`);
          const size = statSync(a).size;
          if (size > MAX_FILE_BYTES) throw new Error(`the web UI file ${r} is over ${MAX_FILE_BYTES} bytes`);
          const ext = path.extname(e.name);
          const type = TYPES[ext] ?? "application/octet-stream";
          if (TEXT.has(ext) || size === 0) {
            const body = Buffer.from(readFileSync(a, "utf8").replaceAll(PLACEHOLDER, basePath));
            textBytes += body.length;
            if (textBytes > MAX_TEXT_BYTES) throw new Error(`the web UI in ${dir} holds more than ${MAX_TEXT_BYTES} bytes of text`);
            files.set(r, { type, size: body.length, body, file: a });
          } else files.set(r, { type, size, body: null, file: a });
        }
        // Anything else (symbolic links, sockets) is never served.
      }
    };
    walk(dir, "");
    return new Site(files);
  }

  /** The file at `rel` (slash-separated, relative to the export), if the export has one. */
  get(rel: string): SiteFile | undefined {
    return this.files.get(rel);
  }

  /** A binary file's bytes, as many as were there at start at most; never through a symbolic link. */
  static stream(f: SiteFile): ReadStream | null {
    let fd: number;
    try {
      fd = openSync(f.file, constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch {
      return null;
    }
    return createReadStream("", { fd, start: 0, end: Math.max(0, f.size - 1), autoClose: true });
  }
}
