import { createRequire } from "node:module";
import path from "node:path";
import { defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    alias: [
      { find: "@", replacement: path.resolve(import.meta.dirname, "src") },
      // Unit tests run as Next.js's server does, where the "server-only" marker is the empty
      // module below (Next.js resolves it the same way; in a Client Component it fails the build).
      { find: /^server-only$/, replacement: require.resolve("next/dist/compiled/server-only/empty.js") },
    ],
  },
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
});
