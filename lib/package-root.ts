import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The folder holding panecast's package.json: the checkout, or the installed package. Found by walking
 * up from this file, which sits in lib/ when run from source and in dist/lib/ when compiled.
 */
export const PACKAGE_ROOT: string = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, "package.json");
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name === "panecast") return dir;
      } catch {
        // an unreadable package.json is not ours: keep walking
      }
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error("panecast: cannot find the package folder (package.json named panecast)");
    dir = up;
  }
})();
