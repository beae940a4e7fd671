// The only module that knows the backend's URLs and response shapes
// (they mirror backend/api/schemas.py).

export type Membership = {
  clerk_id: string;
  name: string;
  slug: string;
  role: string;
  image_url: string;
};

export type ActiveOrganization = {
  clerk_id: string;
  slug: string | null;
  role: string | null;
  permissions: string[];
  name: string | null;
};

export type Me = {
  id: number;
  clerk_id: string;
  email: string | null;
  first_name: string;
  last_name: string;
  image_url: string;
  profile_complete: boolean;
  organizations: Membership[];
  active_organization: ActiveOrganization | null;
};

/** What a call to the backend can come back with; every branch is a state the UI renders. */
export type MeResult =
  | { kind: "ok"; me: Me }
  | { kind: "signed-out"; reason: string }
  | { kind: "unreachable"; reason: string }
  | { kind: "failed"; status: number; reason: string };

export const ME_PATH = "/api/v1/auth/me/";
const DEFAULT_TIMEOUT_MS = 5_000;

/** Where a server component reaches the backend: straight to it, not through nginx. */
export function internalBackendUrl(env: Record<string, string | undefined> = process.env): string {
  return (env.BACKEND_INTERNAL_URL || "http://127.0.0.1:8000").replace(/\/+$/, "");
}

type FetchMeOptions = {
  /** "" in the browser: the page's own origin, which nginx routes to the backend. */
  baseUrl: string;
  token: string | null;
  fetchImpl?: typeof fetch;
  timeoutMs?: number;
};

export async function fetchMe({
  baseUrl,
  token,
  fetchImpl = fetch,
  timeoutMs = DEFAULT_TIMEOUT_MS,
}: FetchMeOptions): Promise<MeResult> {
  if (!token) {
    return { kind: "signed-out", reason: "no session token" };
  }
  let response: Response;
  try {
    response = await fetchImpl(`${baseUrl}${ME_PATH}`, {
      headers: { Authorization: `Bearer ${token}`, Accept: "application/json" },
      cache: "no-store",
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    return { kind: "unreachable", reason: describeNetworkError(error) };
  }
  const body = await readJson(response);
  if (response.ok) {
    return isMe(body)
      ? { kind: "ok", me: body }
      : { kind: "failed", status: response.status, reason: "unexpected response from the backend" };
  }
  const reason = reasonOf(body) ?? response.statusText ?? "request failed";
  if (response.status === 401) {
    return { kind: "signed-out", reason };
  }
  if (response.status === 502 || response.status === 503 || response.status === 504) {
    // nginx answers 502/504 when the backend is down; the backend answers 503 when its database is.
    return { kind: "unreachable", reason };
  }
  return { kind: "failed", status: response.status, reason };
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

function reasonOf(body: unknown): string | null {
  if (body && typeof body === "object" && "detail" in body && typeof body.detail === "string") {
    return body.detail;
  }
  return null;
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
