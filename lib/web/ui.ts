import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { statePath } from "../config.ts";
import { PACKAGE_ROOT } from "../package-root.ts";
import { Site } from "./site.ts";

/**
 * The prebuilt web UI: Next.js's static export, which scripts/build.mjs puts in web/ with a BUILD_ID.
 * The install folder is only read (it may be read-only, as under systemd's ProtectSystem=strict).
 */
export const SHIPPED = path.join(PACKAGE_ROOT, "web");

export class UiMissing extends Error {
  constructor() {
    super(`the web UI is not built (no ${path.join(SHIPPED, "BUILD_ID")}): run 'npm run build' in the checkout`);
    this.name = "UiMissing";
  }
}

export function shippedBuildId(): string {
  try {
    return readFileSync(path.join(SHIPPED, "BUILD_ID"), "utf8").trim();
  } catch {
    throw new UiMissing();
  }
}

/** The shipped UI, read for this base path. Copies older versions made in the data directory are removed. */
export function loadUi(dataDir: string, basePath: string): Site {
  shippedBuildId();
  rmSync(statePath(dataDir, "web"), { recursive: true, force: true });
  return Site.load(SHIPPED, basePath);
}
