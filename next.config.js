// The base path is fixed at build time; `panecast start` rebuilds when server.base_path changes.
const basePath = process.env.PANECAST_BASE_PATH ?? "";

/** @type {import('next').NextConfig} */
const nextConfig = {
  basePath,
  // One build per base path, so serving under /panecast does not replace the root build.
  distDir: basePath ? `.next${basePath.replace(/\//g, "-")}` : ".next",
  env: { NEXT_PUBLIC_PANECAST_BASE_PATH: basePath },
  reactStrictMode: true,
  poweredByHeader: false,
  devIndicators: false,
  // No image optimizer: /_next/image would fetch protected pages on the server's behalf (see lib/http/handler.ts).
  images: { unoptimized: true },
  // `npm test` type-checks the whole project with tsc; a user's `npm start` need not repeat it.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
