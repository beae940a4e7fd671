// Calling the backend, from the browser or the server. openapi-fetch builds each request from the
// generated `paths` (the path and its parameters, the query, the body, the answer: all typed by the
// schema); this module adds what every call needs: the session token, a timeout, and one result
// whose every branch is a state the UI renders. It knows no URL of the backend (see server.ts).
import createClient, { type Client } from "openapi-fetch";

import { failureKind, readErrorBody, type FailureKind } from "./errors";
import type { paths } from "./schema";
import type { ErrorCode, Me } from "./types";

/** What a call to the backend can come back with; every branch is a state the UI renders. */
export type ApiResult<T> = { kind: "ok"; data: T } | ApiFailure;

export type ApiFailure =
  // `status` is null when no answer came (no token to send, a refused connection, a timeout).
  | { kind: Exclude<FailureKind, "failed">; status: number | null; code: ErrorCode | null; detail: string }
  | { kind: "failed"; status: number; code: ErrorCode | null; detail: string };

export type MeResult = ApiResult<Me>;

/** The backend's API as its schema describes it, for one call: `api.GET("/api/v1/auth/me/")`. */
export type Api = Client<paths>;

const DEFAULT_TIMEOUT_MS = 5_000;

export type CallOptions = {
  /** "" in the browser: the page's own origin, which nginx routes to the backend. */
  baseUrl: string;
  /** The Clerk session token, sent as a Bearer header. */
  token: string | null;
  fetchImpl?: typeof fetch;
  timeoutMs?: number;
};

/** What openapi-fetch answers: the body of a success, typed by the schema, or the body of an error. */
type Answer<T> = { data?: T; error?: unknown; response: Response };

/**
 * One call to the backend as the signed-in user: `call` makes it with the typed client, this
 * turns what came back (or did not) into an `ApiResult`.
 *
 * A success is not checked again here. The backend builds every answer as the types its OpenAPI
 * schema is generated from (Pydantic models FastAPI validates on the way out; /me's TypedDicts,
 * which mypy checks and the backend's tests hold to the schema), `make check-api-types` keeps
 * these types equal to that schema, and both are built from the same commit: a second, hand-kept
 * description of each answer would only be one more copy to drift. What can arrive without
 * passing through the backend is handled: an error body is read as untrusted (a proxy's HTML
 * page, an unknown code), and a success whose body is not JSON is a failure.
 */
export async function callBackend<T>(options: CallOptions, call: (api: Api) => Promise<Answer<T>>): Promise<ApiResult<T>> {
  const { baseUrl, token, fetchImpl = fetch, timeoutMs = DEFAULT_TIMEOUT_MS } = options;
  if (!token) {
    // What the backend would answer without a token, without asking it.
    return { kind: "signed-out", status: null, code: "missing-token", detail: "no session token" };
  }
  let answeredStatus: number | null = null;
  // The timeout starts now. Handed to fetch itself, not to the Request openapi-fetch builds: a
  // Request's signal only follows this one through a weak reference, and once collected (a busy
  // process collects often) the call would never time out.
  const timeout = AbortSignal.timeout(timeoutMs);
  // A client per call: the token is this caller's.
  const api = createClient<paths>({
    baseUrl,
    headers: { Authorization: `Bearer ${token}`, Accept: "application/json" },
    cache: "no-store",
    fetch: async (request) => {
      const response = await fetchImpl(request, { signal: timeout });
      answeredStatus = response.status;
      return response;
    },
  });
  let answer: Answer<T>;
  try {
    answer = await call(api);
  } catch (error) {
    // openapi-fetch parses a success's body as JSON; an error body it keeps as text.
    if (error instanceof SyntaxError && answeredStatus !== null) {
      return { kind: "failed", status: answeredStatus, code: null, detail: "unexpected response from the backend" };
    }
    return { kind: "unreachable", status: null, code: null, detail: describeNetworkError(error) };
  }
  const { data, error, response } = answer;
  if (response.ok) {
    return { kind: "ok", data: data as T };
  }
  const { detail, code } = readErrorBody(error);
  return {
    kind: failureKind(response.status, code),
    status: response.status,
    code,
    detail: detail ?? (response.statusText || "request failed"),
  };
}

/** The signed-in user as the backend knows them: `GET /api/v1/auth/me/`. */
export function fetchMe(options: CallOptions): Promise<MeResult> {
  return callBackend(options, (api) => api.GET("/api/v1/auth/me/"));
}

function describeNetworkError(error: unknown): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return "the backend did not answer in time";
  }
  return "the backend could not be reached";
}
