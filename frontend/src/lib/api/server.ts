// Server-only: where Next.js's server reaches the backend. A Client Component that imports
// this module fails the build ("server-only"), so the internal URL never reaches a browser.
import "server-only";

/** Straight to the backend, not through nginx: `BACKEND_INTERNAL_URL`, without a trailing slash. */
export function internalBackendUrl(env: Record<string, string | undefined> = process.env): string {
  return (env.BACKEND_INTERNAL_URL || "http://127.0.0.1:8000").replace(/\/+$/, "");
}
