import { describe, expect, it } from "vitest";

import { fetchMe, internalBackendUrl, ME_PATH, type Me } from "./api";

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
};

function respond(status: number, body: unknown): typeof fetch {
  return async () => new Response(typeof body === "string" ? body : JSON.stringify(body), { status });
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
    expect(result).toEqual({ kind: "ok", me: ME });
  });

  it("does not call the backend without a token", async () => {
    let called = false;
    const fetchImpl: typeof fetch = async () => {
      called = true;
      return new Response("{}");
    };
    expect(await fetchMe({ baseUrl: "", token: null, fetchImpl })).toEqual({ kind: "signed-out", reason: "no session token" });
    expect(called).toBe(false);
  });

  it("reports a 401 as signed out with the backend's reason", async () => {
    const result = await fetchMe({ baseUrl: "", token: "t", fetchImpl: respond(401, { detail: "token expired" }) });
    expect(result).toEqual({ kind: "signed-out", reason: "token expired" });
  });

  it.each([502, 503, 504])("reports %i as the backend being unreachable", async (status) => {
    const result = await fetchMe({ baseUrl: "", token: "t", fetchImpl: respond(status, "<html>Bad Gateway</html>") });
    expect(result.kind).toBe("unreachable");
  });

  it("reports a refused connection as unreachable", async () => {
    const fetchImpl: typeof fetch = async () => {
      throw new TypeError("fetch failed");
    };
    expect(await fetchMe({ baseUrl: "", token: "t", fetchImpl })).toEqual({
      kind: "unreachable",
      reason: "the backend could not be reached",
    });
  });

  it("gives up after the timeout", async () => {
    const fetchImpl: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener("abort", () => reject(init.signal?.reason));
      });
    const result = await fetchMe({ baseUrl: "", token: "t", fetchImpl, timeoutMs: 20 });
    expect(result).toEqual({ kind: "unreachable", reason: "the backend did not answer in time" });
  });

  it("reports other errors with their status and reason", async () => {
    const result = await fetchMe({ baseUrl: "", token: "t", fetchImpl: respond(403, { detail: "user deleted" }) });
    expect(result).toEqual({ kind: "failed", status: 403, reason: "user deleted" });
  });

  it("refuses a 200 whose body is not a profile", async () => {
    const result = await fetchMe({ baseUrl: "", token: "t", fetchImpl: respond(200, { hello: "world" }) });
    expect(result).toEqual({ kind: "failed", status: 200, reason: "unexpected response from the backend" });
  });
});

describe("internalBackendUrl", () => {
  it("uses BACKEND_INTERNAL_URL without a trailing slash", () => {
    expect(internalBackendUrl({ BACKEND_INTERNAL_URL: "http://backend:8000/" })).toBe("http://backend:8000");
  });

  it("defaults to the local backend", () => {
    expect(internalBackendUrl({})).toBe("http://127.0.0.1:8000");
  });
});
