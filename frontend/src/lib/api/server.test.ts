import { describe, expect, it } from "vitest";

import { internalBackendUrl } from "./server";

describe("internalBackendUrl", () => {
  it("uses BACKEND_INTERNAL_URL without a trailing slash", () => {
    expect(internalBackendUrl({ BACKEND_INTERNAL_URL: "http://backend:8000/" })).toBe("http://backend:8000");
  });

  it("defaults to the local backend", () => {
    expect(internalBackendUrl({})).toBe("http://127.0.0.1:8000");
  });
});
