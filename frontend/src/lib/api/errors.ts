// What the frontend does about each error the API can answer: decided by the `code` of the
// body (the backend's `ErrorCode` enum), never by its wording. This is the one place.
import type { ErrorCode } from "./types";

/** The states a failed call can put a page in; `failed` is everything a person cannot fix by waiting. */
export type FailureKind = "signed-out" | "account-deleted" | "unreachable" | "failed";

// A Record over the generated union: when the backend adds a code, `make api-types` makes
// this table fail to compile until someone decides what the frontend does about it.
const KIND_OF_CODE: Record<ErrorCode, FailureKind> = {
  // 401: the session is missing or no longer valid; signing in again fixes it.
  "missing-token": "signed-out",
  "not-a-bearer-token": "signed-out",
  "malformed-token": "signed-out",
  "unsupported-token": "signed-out",
  "machine-token": "signed-out",
  "invalid-signature": "signed-out",
  "unknown-signing-key": "signed-out",
  "token-expired": "signed-out",
  "token-not-yet-valid": "signed-out",
  "invalid-issuer": "signed-out",
  "unauthorized-party": "signed-out",
  "session-not-active": "signed-out",
  // 401 too, but signing in again cannot fix it.
  "user-deleted": "account-deleted",
  // 503: ours and temporary; trying again later fixes it.
  "signing-keys-unavailable": "unreachable",
  "database-unavailable": "unreachable",
  // The rest: shown with the status and the backend's sentence.
  "no-active-organization": "failed",
  "not-a-member": "failed",
  "organization-deleted": "failed",
  "not-allowed": "failed",
  "name-taken": "failed",
  "missing-role": "failed",
  "missing-permission": "failed",
  "not-found": "failed",
  "organization-not-synced": "failed",
  "method-not-allowed": "failed",
  "invalid-request": "failed",
  "body-too-large": "failed",
  "missing-svix-headers": "failed",
  "timestamp-outside-tolerance": "failed",
  "not-a-clerk-event": "failed",
  "authentication-not-configured": "failed",
  "webhooks-not-configured": "failed",
  "internal-error": "failed",
};

/** The kind of failure an answer is: by its code, or by its status when the body has none (nginx's own pages). */
export function failureKind(status: number, code: ErrorCode | null): FailureKind {
  if (code !== null) {
    return KIND_OF_CODE[code];
  }
  if (status === 401) {
    return "signed-out";
  }
  // A proxy's own page: nginx answers 502 when the backend is down and 504 when it does not
  // answer in time; load balancers answer 503 while no backend is ready.
  if (status === 502 || status === 503 || status === 504) {
    return "unreachable";
  }
  return "failed";
}

/** The `{detail, code}` of an error body, or nulls when the body is not one (HTML, empty, an unknown code). */
export function readErrorBody(body: unknown): { detail: string | null; code: ErrorCode | null } {
  if (!body || typeof body !== "object") {
    return { detail: null, code: null };
  }
  const { detail, code } = body as Record<string, unknown>;
  return {
    detail: typeof detail === "string" ? detail : null,
    code: isErrorCode(code) ? code : null,
  };
}

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(KIND_OF_CODE, value);
}
