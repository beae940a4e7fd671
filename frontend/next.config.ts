import path from "node:path";
import { loadEnvConfig } from "@next/env";
import type { NextConfig } from "next";

// One `.env` at the repository root serves the backend and the frontend alike. Test
// builds set NEXT_SKIP_ROOT_ENV so a developer's keys never leak into them.
if (!process.env.NEXT_SKIP_ROOT_ENV) {
  loadEnvConfig(path.resolve(process.cwd(), ".."), process.env.NODE_ENV !== "production");
}

const nextConfig: NextConfig = {
  // The test build lives beside the developer's `.next` so neither clobbers the other.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
