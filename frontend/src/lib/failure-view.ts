// What a page says when a call to the backend failed, by kind of failure (errors.ts decides the
// kind from the code). Every sentence about a failure is written here, once; a resource's own
// refusals (a taken name, a missing right) are in its module (lib/projects/refusals.ts).
import type { ApiFailure } from "./api/client";

export const SESSION_EXPIRED = "Your session has expired. Sign in again to continue.";
export const ACCOUNT_DELETED = "This account has been deleted. Contact support if you think this is a mistake.";

/** The backend cannot be reached now; `reason` is shown when there is one to show. */
export function backendUnreachable(reason: string | null): string {
  return `We can't reach the server right now${reason ? ` (${reason})` : ""}. Try again in a moment.`;
}

/** What a page shows when a call to the backend failed: one state, and one sentence, per kind of failure. */
export type FailureView =
  | { view: "session-expired"; message: string }
  | { view: "account-deleted"; message: string }
  | { view: "backend-unreachable"; message: string }
  | { view: "error"; message: string };

export function failureView(failure: ApiFailure): FailureView {
  switch (failure.kind) {
    case "signed-out":
      return { view: "session-expired", message: SESSION_EXPIRED };
    case "account-deleted":
      return { view: "account-deleted", message: ACCOUNT_DELETED };
    case "unreachable":
      return { view: "backend-unreachable", message: backendUnreachable(failure.detail) };
    case "failed":
      return { view: "error", message: `The server answered ${failure.status}: ${failure.detail}.` };
  }
}
