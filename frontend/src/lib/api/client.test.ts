import { describe, expect, it } from "vitest";

import { backendAnswering, backendRefusing, readRequest } from "@/test/backend";
import { me } from "@/test/factories";

import { fetchMe } from "./client";
import type { ErrorCode } from "./types";

const BASE_URL = "http://backend:8000";

describe("fetchMe", () => {
  it("sends the token as a Bearer header to the /me path under the base URL", async () => {
    const backend = backendAnswering(200, me());
    const result = await fetchMe({ baseUrl: BASE_URL, token: "tok", fetchImpl: backend.fetchImpl });
    expect(await Promise.all(backend.requests.map(readRequest))).toEqual([
      { method: "GET", url: `${BASE_URL}/api/v1/auth/me/`, auth: "Bearer tok", contentType: null, body: undefined },
    ]);
    expect(result).toEqual({ kind: "ok", data: me() });
  });

  it("does not call the backend without a token, and answers as the backend would", async () => {
    const backend = backendAnswering(200, me());
    expect(await fetchMe({ baseUrl: BASE_URL, token: null, fetchImpl: backend.fetchImpl })).toEqual({
      kind: "signed-out",
      status: null,
      code: "missing-token",
      detail: "no session token",
    });
    expect(backend.requests).toEqual([]);
  });

  it.each<ErrorCode>([
    "missing-token",
    "not-a-bearer-token",
    "malformed-token",
    "unsupported-token",
    "machine-token",
    "invalid-signature",
    "unknown-signing-key",
    "token-expired",
    "token-not-yet-valid",
    "invalid-issuer",
    "unauthorized-party",
    "session-not-active",
  ])("reports a 401 %s as signed out, with the code and the backend's sentence", async (code) => {
    const { fetchImpl } = backendRefusing(401, code, "why, for people");
    const result = await fetchMe({ baseUrl: BASE_URL, token: "t", fetchImpl });
    expect(result).toEqual({ kind: "signed-out", status: 401, code, detail: "why, for people" });
  });

  it("reports user-deleted as a deleted account, not as a session to renew", async () => {
    const result = await fetchMe({ baseUrl: BASE_URL, token: "t", fetchImpl: backendRefusing(401, "user-deleted").fetchImpl });
    expect(result).toMatchObject({ kind: "account-deleted", status: 401, code: "user-deleted" });
  });

  it.each<ErrorCode>(["database-unavailable", "signing-keys-unavailable"])(
    "reports a 503 %s as the backend being unreachable",
    async (code) => {
      const result = await fetchMe({ baseUrl: BASE_URL, token: "t", fetchImpl: backendRefusing(503, code).fetchImpl });
      expect(result).toMatchObject({ kind: "unreachable", status: 503, code });
    },
  );

  it("decides by the code, whatever the sentence says", async () => {
    const { fetchImpl } = backendRefusing(503, "database-unavailable", "token expired");
    expect((await fetchMe({ baseUrl: BASE_URL, token: "t", fetchImpl })).kind).toBe("unreachable");
  });

  it.each([502, 503, 504])("reports a proxy's %i page (no code) as the backend being unreachable", async (status) => {
    const { fetchImpl } = backendAnswering(status, "<html>Bad Gateway</html>");
    const result = await fetchMe({ baseUrl: BASE_URL, token: "t", fetchImpl });
    expect(result).toMatchObject({ kind: "unreachable", status, code: null });
  });

  it("reports a 401 without a code as signed out", async () => {
    const result = await fetchMe({ baseUrl: BASE_URL, token: "t", fetchImpl: backendAnswering(401, "Unauthorized").fetchImpl });
    expect(result).toMatchObject({ kind: "signed-out", status: 401, code: null });
  });

  it("ignores a code the schema does not know and falls back on the status", async () => {
    const result = await fetchMe({ baseUrl: BASE_URL, token: "t", fetchImpl: backendRefusing(503, "something-new").fetchImpl });
    expect(result).toMatchObject({ kind: "unreachable", status: 503, code: null, detail: "a sentence for people" });
  });

  it("reports a refused connection as unreachable", async () => {
    const fetchImpl: typeof fetch = async () => {
      throw new TypeError("fetch failed");
    };
    expect(await fetchMe({ baseUrl: BASE_URL, token: "t", fetchImpl })).toEqual({
      kind: "unreachable",
      status: null,
      code: null,
      detail: "the backend could not be reached",
    });
  });

  it("gives up after the timeout", async () => {
    // A backend that never answers: only the timeout's signal, handed to fetch, ends the call.
    const fetchImpl: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        const signal = init?.signal;
        if (!signal) return;
        if (signal.aborted) reject(signal.reason); // a slow machine gets here after the 20 ms
        signal.addEventListener("abort", () => reject(signal.reason));
      });
    const result = await fetchMe({ baseUrl: BASE_URL, token: "t", fetchImpl, timeoutMs: 20 });
    expect(result).toMatchObject({ kind: "unreachable", detail: "the backend did not answer in time" });
  });

  it.each<[number, ErrorCode]>([
    [403, "missing-permission"],
    [404, "not-found"],
    [500, "internal-error"],
    [503, "authentication-not-configured"],
  ])("reports a %i %s as a failure with its status, code and sentence", async (status, code) => {
    const result = await fetchMe({ baseUrl: BASE_URL, token: "t", fetchImpl: backendRefusing(status, code, "the sentence").fetchImpl });
    expect(result).toEqual({ kind: "failed", status, code, detail: "the sentence" });
  });

  it("refuses a 200 whose body is not JSON (a page routed to the wrong server)", async () => {
    const result = await fetchMe({ baseUrl: BASE_URL, token: "t", fetchImpl: backendAnswering(200, "<!DOCTYPE html><p>Hello").fetchImpl });
    expect(result).toEqual({ kind: "failed", status: 200, code: null, detail: "unexpected response from the backend" });
  });
});
