import { watch } from "node:fs";
import path from "node:path";

export interface FileWatch {
  close(): void;
}

/**
 * Calls `onChange` when another process writes, replaces or removes `file`, at most once per
 * `debounceMs`. It watches the directory, so a save by rename (a new inode) is seen too. Null when
 * the directory cannot be watched: the change is then picked up at the next start.
 */
export function watchFile(file: string, onChange: () => void, debounceMs = 50): FileWatch | null {
  let timer: NodeJS.Timeout | null = null;
  try {
    const watcher = watch(path.dirname(file), { persistent: false }, (_e, f) => {
      if (f && f !== path.basename(file)) return;
      timer ??= setTimeout(() => {
        timer = null;
        onChange();
      }, debounceMs);
    });
    watcher.on("error", () => {});
    return {
      close() {
        watcher.close();
        if (timer) clearTimeout(timer);
        timer = null;
      },
    };
  } catch {
    return null;
  }
}
