// Calling the backend, from the browser or the server: the request, the timeout, and what
// the answer means. It knows no URL of the backend; the caller passes the base (see server.ts).
import { failureKind, readErrorBody, type FailureKind } from "./errors";
import type { ApiGetPath, ApiGetResponse, ErrorCode, Me } from "./types";

/** What a call to the backend can come back with; every branch is a state the UI renders. */
export type ApiResult<T> = { kind: "ok"; data: T } | ApiFailure;

export type ApiFailure =
  // `status` is null when no answer came (no token to send, a refused connection, a timeout).
  | { kind: Exclude<FailureKind, "failed">; status: number | null; code: ErrorCode | null; detail: string }
  | { kind: "failed"; status: number; code: ErrorCode | null; detail: string };

export type MeResult = ApiResult<Me>;

export const ME_PATH = "/api/v1/auth/me/" satisfies ApiGetPath;
const DEFAULT_TIMEOUT_MS = 5_000;

export type CallOptions = {
  /** "" in the browser: the page's own origin, which nginx routes to the backend. */
  baseUrl: string;
  /** The Clerk session token, sent as a Bearer header. */
  token: string | null;
  fetchImpl?: typeof fetch;
  timeoutMs?: number;
};

/** One call to the backend: the method, the path as the schema spells it (ids filled in), a query and a JSON body. */
export type ApiRequest = {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  path: string;
  query?: Record<string, string | number | null | undefined>;
  body?: unknown;
};

/**
 * Calls the backend with the session token; `isExpected` guards against a success answer that is
 * not what the schema says (a 204 has no body: its guard receives null).
 */
export async function callApi<T>(
  request: ApiRequest,
  isExpected: (body: unknown) => body is T,
  { baseUrl, token, fetchImpl = fetch, timeoutMs = DEFAULT_TIMEOUT_MS }: CallOptions,
): Promise<ApiResult<T>> {
  if (!token) {
    // What the backend would answer without a token, without asking it.
    return { kind: "signed-out", status: null, code: "missing-token", detail: "no session token" };
  }
  const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: "application/json" };
  if (request.body !== undefined) headers["Content-Type"] = "application/json";
  let response: Response;
  try {
    response = await fetchImpl(`${baseUrl}${request.path}${queryString(request.query)}`, {
      method: request.method,
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      cache: "no-store",
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    return { kind: "unreachable", status: null, code: null, detail: describeNetworkError(error) };
  }
  const body = response.status === 204 ? null : await readJson(response);
  if (response.ok) {
    return isExpected(body)
      ? { kind: "ok", data: body }
      : { kind: "failed", status: response.status, code: null, detail: "unexpected response from the backend" };
  }
  const { detail, code } = readErrorBody(body);
  return {
    kind: failureKind(response.status, code),
    status: response.status,
    code,
    detail: detail ?? (response.statusText || "request failed"),
  };
}

/** GET `path` with the session token, typed by what the schema says the path answers. */
export function getFromApi<P extends ApiGetPath>(
  path: P,
  isExpected: (body: unknown) => body is ApiGetResponse<P>,
  options: CallOptions,
): Promise<ApiResult<ApiGetResponse<P>>> {
  return callApi({ method: "GET", path }, isExpected, options);
}

/** The signed-in user as the backend knows them: `GET /api/v1/auth/me/`. */
export function fetchMe(options: CallOptions): Promise<MeResult> {
  return getFromApi(ME_PATH, isMe, options);
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

/** `?a=1&b=x` from the values that are set; "" when none is. */
function queryString(query: ApiRequest["query"]): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== null && value !== undefined && value !== "") params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

function describeNetworkError(error: unknown): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return "the backend did not answer in time";
  }
  return "the backend could not be reached";
}

function isMe(body: unknown): body is Me {
  if (!body || typeof body !== "object") return false;
  const candidate = body as Partial<Me>;
  return (
    typeof candidate.clerk_id === "string" &&
    Array.isArray(candidate.organizations) &&
    typeof candidate.profile_complete === "boolean"
  );
}
