// The package ships one build made for a placeholder base path; `panecast start` reads it into memory
// with the placeholder replaced by server.base_path (lib/web/site.ts), because Next.js
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
  // The pages are a static export (out/, which scripts/build.mjs ships as web/): panecast's own small
  // handler serves them (lib/web/), so Next.js's server is never loaded at run time. Server data
  // reaches the pages through the API and the socket.
  output: "export",
};

export default nextConfig;
