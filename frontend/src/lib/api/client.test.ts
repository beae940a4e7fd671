import { describe, expect, it } from "vitest";

import { fetchMe, ME_PATH } from "./client";
import type { ErrorCode, Me } from "./types";

const ME: Me = {
  id: 1,
  clerk_id: "user_1",
  email: "ada@example.com",
  first_name: "Ada",
  last_name: "Lovelace",
  image_url: "",
  profile_complete: true,
  organizations: [{ clerk_id: "org_1", name: "Acme", slug: "acme", role: "org:admin", image_url: "" }],
  active_organization: null,
  actor: null,
};

function respond(status: number, body: unknown): typeof fetch {
  return async () => new Response(typeof body === "string" ? body : JSON.stringify(body), { status });
}

function answering(status: number, code: string, detail = "a sentence for people"): typeof fetch {
  return respond(status, { detail, code });
}

describe("fetchMe", () => {
  it("sends the token as a Bearer header to the /me path under the base URL", async () => {
    const seen: { url: string; auth: string | null }[] = [];
    const fetchImpl: typeof fetch = async (input, init) => {
      seen.push({ url: String(input), auth: new Headers(init?.headers).get("Authorization") });
      return new Response(JSON.stringify(ME), { status: 200 });
    };
    const result = await fetchMe({ baseUrl: "http://backend:8000", token: "tok", fetchImpl });
    expect(seen).toEqual([{ url: `http://backend:8000${ME_PATH}`, auth: "Bearer tok" }]);
    expect(result).toEqual({ kind: "ok", data: ME });
  });

  it("does not call the backend without a token, and answers as the backend would", async () => {
    let called = false;
    const fetchImpl: typeof fetch = async () => {
      called = true;
      return new Response("{}");
    };
    expect(await fetchMe({ baseUrl: "", token: null, fetchImpl })).toEqual({
      kind: "signed-out",
      status: null,
      code: "missing-token",
      detail: "no session token",
    });
    expect(called).toBe(false);
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
    const result = await fetchMe({ baseUrl: "", token: "t", fetchImpl: answering(401, code, "why, for people") });
    expect(result).toEqual({ kind: "signed-out", status: 401, code, detail: "why, for people" });
  });

  it("reports user-deleted as a deleted account, not as a session to renew", async () => {
    const result = await fetchMe({ baseUrl: "", token: "t", fetchImpl: answering(401, "user-deleted") });
    expect(result).toMatchObject({ kind: "account-deleted", status: 401, code: "user-deleted" });
  });

  it.each<ErrorCode>(["database-unavailable", "signing-keys-unavailable"])(
    "reports a 503 %s as the backend being unreachable",
    async (code) => {
      const result = await fetchMe({ baseUrl: "", token: "t", fetchImpl: answering(503, code) });
      expect(result).toMatchObject({ kind: "unreachable", status: 503, code });
    },
  );

  it("decides by the code, whatever the sentence says", async () => {
    const result = await fetchMe({
      baseUrl: "",
      token: "t",
      fetchImpl: answering(503, "database-unavailable", "token expired"),
    });
    expect(result.kind).toBe("unreachable");
  });

  it.each([502, 503, 504])("reports a proxy's %i page (no code) as the backend being unreachable", async (status) => {
    const result = await fetchMe({ baseUrl: "", token: "t", fetchImpl: respond(status, "<html>Bad Gateway</html>") });
    expect(result).toMatchObject({ kind: "unreachable", status, code: null });
  });

  it("reports a 401 without a code as signed out", async () => {
    const result = await fetchMe({ baseUrl: "", token: "t", fetchImpl: respond(401, "Unauthorized") });
    expect(result).toMatchObject({ kind: "signed-out", status: 401, code: null });
  });

  it("ignores a code the schema does not know and falls back on the status", async () => {
    const result = await fetchMe({ baseUrl: "", token: "t", fetchImpl: answering(503, "something-new") });
    expect(result).toMatchObject({ kind: "unreachable", status: 503, code: null, detail: "a sentence for people" });
  });

  it("reports a refused connection as unreachable", async () => {
    const fetchImpl: typeof fetch = async () => {
      throw new TypeError("fetch failed");
    };
    expect(await fetchMe({ baseUrl: "", token: "t", fetchImpl })).toEqual({
      kind: "unreachable",
      status: null,
      code: null,
      detail: "the backend could not be reached",
    });
  });

  it("gives up after the timeout", async () => {
    const fetchImpl: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener("abort", () => reject(init.signal?.reason));
      });
    const result = await fetchMe({ baseUrl: "", token: "t", fetchImpl, timeoutMs: 20 });
    expect(result).toMatchObject({ kind: "unreachable", detail: "the backend did not answer in time" });
  });

  it.each<[number, ErrorCode]>([
    [403, "missing-permission"],
    [404, "not-found"],
    [500, "internal-error"],
    [503, "authentication-not-configured"],
  ])("reports a %i %s as a failure with its status, code and sentence", async (status, code) => {
    const result = await fetchMe({ baseUrl: "", token: "t", fetchImpl: answering(status, code, "the sentence") });
    expect(result).toEqual({ kind: "failed", status, code, detail: "the sentence" });
  });

  it("refuses a 200 whose body is not a profile", async () => {
    const result = await fetchMe({ baseUrl: "", token: "t", fetchImpl: respond(200, { hello: "world" }) });
    expect(result).toEqual({ kind: "failed", status: 200, code: null, detail: "unexpected response from the backend" });
  });
});
