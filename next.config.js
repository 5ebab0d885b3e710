// The package ships one build made for a placeholder base path; `panecast start` copies it into the
// data directory with the placeholder replaced by server.base_path (lib/web/ui.ts), because Next.js
// fixes basePath at build time (vercel/next.js#41746). PANECAST_BASE_PATH is set by scripts/build.mjs.
const basePath = process.env.PANECAST_BASE_PATH ?? "";

/** @type {import('next').NextConfig} */
const nextConfig = {
  basePath,
  env: { NEXT_PUBLIC_PANECAST_BASE_PATH: basePath },
  reactStrictMode: true,
  poweredByHeader: false,
  devIndicators: false,
  productionBrowserSourceMaps: false,
  // No image optimizer: /_next/image would fetch protected pages on the server's behalf (see lib/http/handler.ts).
  images: { unoptimized: true },
  // `npm test` type-checks the whole project with tsc; the build need not repeat it.
  typescript: { ignoreBuildErrors: true },
  // The package ships the server files Next.js traces as needed (.next/standalone), not all of next
  // with its compilers: scripts/build.mjs moves them to web-modules/ (lib/web/ui.ts).
  output: "standalone",
  // Images are served unoptimized: the image optimizer's native libraries (sharp, libvips) never load.
  // The font metrics are read only by next/font's build step (nothing at run time requires them).
  outputFileTracingExcludes: { "*": ["node_modules/sharp/**", "node_modules/@img/**", "node_modules/next/dist/server/capsize-font-metrics.json"] },
};

export default nextConfig;
