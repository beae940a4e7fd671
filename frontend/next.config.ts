import path from "node:path";
import { loadEnvConfig } from "@next/env";
import type { NextConfig } from "next";

// One `.env` at the repository root serves the backend and the frontend alike. Test
// builds set NEXT_SKIP_ROOT_ENV so a developer's keys never leak into them.
if (!process.env.NEXT_SKIP_ROOT_ENV) {
  loadEnvConfig(path.resolve(process.cwd(), ".."), process.env.NODE_ENV !== "production");
}

// Sent with every response Next.js serves (pages, redirects, assets), so a deployment without
// nginx in front (Kubernetes behind an Ingress controller, a platform host) has them too; nginx
// adds its own copy only where a response carries none. The CSP holds frame-ancestors alone:
// a full policy would have to allow Clerk's scripts, workers and frames by name.
const securityHeaders = [
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Content-Security-Policy", value: "frame-ancestors 'none'" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  // Features the app never asks for; passkeys (publickey-credentials-*) and payment stay allowed
  // for Clerk's sign-in and billing.
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), browsing-topics=()" },
];

const nextConfig: NextConfig = {
  // The test build lives beside the developer's `.next` so neither clobbers the other.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // The production image (frontend/Dockerfile) runs the self-contained server `next build`
  // writes with this; `next start` (make dev, the test stack) serves the ordinary build.
  output: process.env.NEXT_OUTPUT === "standalone" ? "standalone" : undefined,
  poweredByHeader: false,
  reactStrictMode: true,
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default nextConfig;
