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
  // The production image (frontend/Dockerfile) runs the self-contained server `next build`
  // writes with this; `next start` (make dev, the test stack) serves the ordinary build.
  output: process.env.NEXT_OUTPUT === "standalone" ? "standalone" : undefined,
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
