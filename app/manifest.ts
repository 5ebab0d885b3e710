import type { MetadataRoute } from "next";

/**
 * The web app manifest (/manifest.webmanifest): what makes the dashboard installable, so Web Push
 * reaches a phone's home-screen app too. Paths are relative to the manifest, so a base path holds.
 */
// Written once at build time (output: "export").
export const dynamic = "force-static";

export default function manifest(): MetadataRoute.Manifest {
  return {
    name: "panecast",
    short_name: "panecast",
    description: "Live dashboard for AI coding agents in tmux",
    start_url: "./",
    scope: "./",
    display: "standalone",
    background_color: "#0b0e14",
    theme_color: "#0b0e14",
    icons: [
      { src: "icons/icon-192.png", sizes: "192x192", type: "image/png", purpose: "any" },
      { src: "icons/icon-512.png", sizes: "512x512", type: "image/png", purpose: "any" },
      { src: "icon.svg", sizes: "any", type: "image/svg+xml" },
    ],
  };
}
