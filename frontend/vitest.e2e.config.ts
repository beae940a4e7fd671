import path from "node:path";
import { defineConfig } from "vitest/config";

// Browser tests: one real stack (uvicorn on PostgreSQL, `next start`, nginx) shared by
// every file, driven by Debian's Chromium through playwright-core.
export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname, "src") } },
  test: {
    include: ["e2e/**/*.test.ts"],
    globalSetup: ["e2e/global-setup.ts"],
    fileParallelism: false,
    // One worker runs the files in turn; sharing its module cache saves re-importing Playwright per file.
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    environment: "node",
  },
});
