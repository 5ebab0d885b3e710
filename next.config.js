// The base path is fixed at build time; `panecast start` rebuilds when server.base_path changes.
const basePath = process.env.PANECAST_BASE_PATH ?? "";

/** @type {import('next').NextConfig} */
const nextConfig = {
  basePath,
  env: { NEXT_PUBLIC_PANECAST_BASE_PATH: basePath },
  reactStrictMode: true,
  poweredByHeader: false,
  devIndicators: false,
  typescript: { tsconfigPath: "tsconfig.json" },
};

export default nextConfig;
